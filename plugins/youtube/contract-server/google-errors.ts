import { HttpFailure } from '@sx/plugin-sdk';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** A Google API error body exactly in the documented shape: `{error:{code,message,errors:[{domain,reason,message}],status}}`. */
export function googleErrorBody(status: number, reason: string, message: string, domain = 'youtube.video') {
  return { error: { code: status, message, errors: [{ message, domain, reason }], status: STATUS_NAMES[status] ?? 'UNKNOWN' } };
}

export function googleError(status: number, reason: string, message: string, domain = 'youtube.video', headers: Record<string, string> = {}): HttpFailure {
  return new HttpFailure(status, googleErrorBody(status, reason, message, domain), headers);
}

export const authError = () => new HttpFailure(401, authErrorBody());

export const authErrorBody = () => ({
    error: {
      code: 401,
      message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
      status: 'UNAUTHENTICATED',
    },
});
