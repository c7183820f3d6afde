// XRPC calls through the SDK's HTTP helper and the PDS error classification
// (../shared/platforms/bluesky.md "Errors → classification").
import {
  AuthExpiredError,
  DisconnectedError,
  RateLimitedError,
  RejectedError,
  RetryableError,
  classifyHttpError,
  type BaseContext,
  type HttpRequest,
  type HttpResponse,
  type PluginContext,
  type PluginError,
} from '@sx/plugin-sdk';

export interface BskyCredentials extends Record<string, unknown> {
  identifier: string;
  appPassword: string;
  did?: string;
  handle?: string;
  accessJwt?: string;
  refreshJwt?: string;
  /** The account's own PDS (from the session's DID document); audience of service-auth tokens. */
  pdsUrl?: string;
}

export interface BskySettings extends Record<string, unknown> {
  service?: string;
  langs?: string[];
  videoService?: string;
}

export type BskyContext = PluginContext<BskyCredentials, BskySettings>;

export function serviceUrl(settings: BskySettings): string {
  return (settings.service ?? 'https://bsky.social').replace(/\/+$/, '');
}

/** Bluesky's RateLimit-Reset is a unix time in seconds (not the IETF delta). */
function resetAt(res: HttpResponse, nowMs: number): Date {
  const raw = Number(res.headers['ratelimit-reset']);
  if (!Number.isFinite(raw) || raw <= 0) return new Date(nowMs + 60_000);
  return new Date(raw > 1e9 ? raw * 1000 : nowMs + raw * 1000);
}

export function classifyBsky(res: HttpResponse, nowMs: number, what: string): PluginError {
  const body = res.json<{ error?: string; message?: string }>();
  const name = body?.error ?? '';
  const message = `${what}: HTTP ${res.status} ${name} ${body?.message ?? ''}`.trim();
  if (res.status === 429) return new RateLimitedError(message, resetAt(res, nowMs));
  if (name === 'ExpiredToken' || name === 'InvalidToken' || res.status === 401) return new AuthExpiredError(message);
  if (/AccountTakedown|AccountDeactivated|AccountSuspended/.test(name)) return new DisconnectedError(message);
  if (res.status === 400 || res.status === 413) return new RejectedError(message);
  if (res.status >= 500) return new RetryableError(message);
  return classifyHttpError(res, nowMs, what);
}

export async function xrpc(
  ctx: BaseContext<BskySettings>,
  token: string | undefined,
  what: string,
  req: HttpRequest,
): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await ctx.http.request({ ...req, url: `${serviceUrl(ctx.settings)}/xrpc/${req.url}`, headers });
  if (res.status >= 200 && res.status < 300) return res;
  throw classifyBsky(res, ctx.clock.nowMs(), what);
}

export function requireSession(ctx: BskyContext): { did: string; accessJwt: string } {
  const { did, accessJwt } = ctx.credentials;
  if (!did || !accessJwt) throw new AuthExpiredError('no session yet: refresh the credentials first');
  return { did, accessJwt };
}
