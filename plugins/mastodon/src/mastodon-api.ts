// Authenticated calls to one Mastodon instance and Mastodon's error classification
// (../shared/platforms/mastodon.md "Errors → classification").
import {
  DisconnectedError,
  RejectedError,
  RetryableError,
  classifyHttpError,
  type BaseContext,
  type HttpRequest,
  type HttpResponse,
  type PluginContext,
  type PluginError,
} from '@sx/plugin-sdk';

export interface MastodonCredentials extends Record<string, unknown> {
  accessToken: string;
  accountId: string;
  username?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface MastodonSettings extends Record<string, unknown> {
  instanceUrl: string;
  visibility?: 'public' | 'unlisted' | 'private';
  language?: string;
}

export type MastodonContext = PluginContext<MastodonCredentials, MastodonSettings>;

export function instanceBase(settings: MastodonSettings): string {
  const url = settings.instanceUrl?.trim();
  if (!url) throw new RejectedError('instanceUrl is required', [{ rule: 'settings.instance_url', message: 'set the instance URL' }]);
  return url.replace(/\/+$/, '');
}

export function classifyMastodon(res: HttpResponse, nowMs: number, what: string): PluginError {
  const body = res.json<{ error?: string; error_description?: string }>();
  const detail = body?.error ?? '';
  const message = `${what}: HTTP ${res.status} ${detail}`.trim();
  // Tokens never expire and there is no refresh: a 401 means the app was revoked → reconnect.
  if (res.status === 401) return new DisconnectedError(message);
  if (res.status === 403) {
    return /disabled|suspended|not allowed/i.test(detail) ? new DisconnectedError(message) : new RejectedError(message);
  }
  if (res.status === 422 && /not finished processing/i.test(detail)) return new RetryableError(message, 2_000);
  if (res.status === 404 || res.status === 422 || res.status === 400 || res.status === 413) return new RejectedError(message);
  return classifyHttpError(res, nowMs, what);
}

export async function mastodonCall(
  ctx: BaseContext<MastodonSettings>,
  token: string | undefined,
  what: string,
  req: HttpRequest,
): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await ctx.http.request({ ...req, url: `${instanceBase(ctx.settings)}${req.url}`, headers });
  if (res.status >= 200 && res.status < 300) return res;
  throw classifyMastodon(res, ctx.clock.nowMs(), what);
}

export interface MastodonStatusView {
  id?: string;
  url?: string | null;
  uri?: string;
  created_at?: string;
  content?: string;
}
