// Authenticated calls to the X API v2 through the SDK's HTTP helper, and X's error classification
// (../shared/platforms/x.md "Errors → classification").
import {
  AuthExpiredError,
  DisconnectedError,
  RateLimitedError,
  RejectedError,
  RetryableError,
  classifyHttpError,
  type HttpRequest,
  type HttpResponse,
  type PluginContext,
  type PluginError,
} from '@sx/plugin-sdk';

export interface XCredentials extends Record<string, unknown> {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: string;
  userId: string;
  username: string;
}

export interface XSettings extends Record<string, unknown> {
  clientId: string;
  apiBaseUrl?: string;
  authorizeUrl?: string;
}

export type XContext = PluginContext<XCredentials, XSettings>;

interface XProblem {
  title?: string;
  detail?: string;
  type?: string;
  errors?: Array<{ message?: string; code?: number }>;
}

export function apiBase(settings: XSettings): string {
  return (settings.apiBaseUrl ?? 'https://api.x.com').replace(/\/+$/, '');
}

const epochSeconds = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) * 1000 : undefined);

/**
 * When the next call may succeed: x-rate-limit-reset for the 15-minute windows; a spent daily or
 * plan cap (`usage-capped`, or a 24-hour counter at 0) waits for the latest 24-hour reset instead.
 */
function rateLimitReset(res: HttpResponse, body: XProblem, nowMs: number): Date {
  const h = res.headers;
  const resets = [epochSeconds(h['x-rate-limit-reset'])];
  const dailySpent = h['x-user-limit-24hour-remaining'] === '0' || h['x-app-limit-24hour-remaining'] === '0';
  if (dailySpent || /usage-capped/.test(body.type ?? '')) {
    resets.push(epochSeconds(h['x-user-limit-24hour-reset']), epochSeconds(h['x-app-limit-24hour-reset']));
  }
  const known = resets.filter((r): r is number => r !== undefined);
  return new Date(known.length ? Math.max(...known) : nowMs + 15 * 60 * 1000);
}

/** Classifies a non-2xx X answer; messages carry X's own words, never credentials. */
export function classifyX(res: HttpResponse, nowMs: number, what: string): PluginError {
  const body = res.json<XProblem>() ?? {};
  const detail = body.detail ?? body.errors?.[0]?.message ?? body.title ?? '';
  const message = `${what}: HTTP ${res.status} ${detail}`.trim();
  if (res.status === 401) return new AuthExpiredError(message);
  if (res.status === 403) {
    if (/duplicate content/i.test(detail) || body.errors?.some((e) => e.code === 187)) {
      return new RejectedError(message, [{ rule: 'x.duplicate_content', message: 'X refuses identical text posted recently' }]);
    }
    if (/suspended/i.test(`${body.type} ${detail}`)) return new DisconnectedError(message);
    if (/client-forbidden|unsupported-authentication/i.test(body.type ?? '')) return new DisconnectedError(message);
    return new RejectedError(message);
  }
  if (res.status === 400 || res.status === 413 || res.status === 422) return new RejectedError(message);
  if (res.status >= 500) return new RetryableError(message);
  if (res.status === 429) return new RateLimitedError(message, rateLimitReset(res, body, nowMs));
  return classifyHttpError(res, nowMs, what);
}

/** Sends an authenticated request; any non-2xx becomes a classified plugin error. */
export async function xCall(ctx: XContext, what: string, req: HttpRequest): Promise<HttpResponse> {
  const res = await ctx.http.request({
    ...req,
    url: `${apiBase(ctx.settings)}${req.url}`,
    headers: { ...(req.headers ?? {}), authorization: `Bearer ${ctx.credentials.accessToken}` },
  });
  if (res.status >= 200 && res.status < 300) return res;
  throw classifyX(res, ctx.clock.nowMs(), what);
}

export function postUrl(username: string, id: string): string {
  return `https://x.com/${encodeURIComponent(username)}/status/${id}`;
}
