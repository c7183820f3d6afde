import { AuthExpiredError, DisconnectedError, PluginError, RateLimitedError, RejectedError, RetryableError } from '../errors';
import type { HttpResponse, RateLimitObservation } from './http-types';

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads the rate-limit headers platforms use: `x-ratelimit-*` (Mastodon: ISO reset; X, Bluesky:
 * epoch seconds reset), IETF `ratelimit-*` (reset in seconds from now) and `retry-after`.
 */
export function readRateLimit(res: Pick<HttpResponse, 'headers'>, nowMs: number): RateLimitObservation | undefined {
  const h = res.headers;
  const limit = num(h['x-ratelimit-limit'] ?? h['x-rate-limit-limit'] ?? h['ratelimit-limit']);
  const remaining = num(h['x-ratelimit-remaining'] ?? h['x-rate-limit-remaining'] ?? h['ratelimit-remaining']);
  const resetAt = parseReset(h, nowMs);
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return { limit, remaining, resetAt: resetAt === undefined ? undefined : new Date(resetAt).toISOString() };
}

function parseReset(h: Record<string, string>, nowMs: number): number | undefined {
  const xr = h['x-ratelimit-reset'] ?? h['x-rate-limit-reset'];
  if (xr !== undefined) {
    const n = num(xr);
    if (n !== undefined) return n > 1e12 ? n : n > 1e9 ? n * 1000 : nowMs + n * 1000;
    const d = Date.parse(xr);
    if (!Number.isNaN(d)) return d;
  }
  const ietf = num(h['ratelimit-reset']);
  // IETF draft: seconds from now; Bluesky's PDS sends a unix time in seconds under the same name.
  if (ietf !== undefined) return ietf > 1e9 ? ietf * 1000 : nowMs + ietf * 1000;
  const ra = retryAfterMs(h, nowMs);
  return ra === undefined ? undefined : nowMs + ra;
}

/** Retry-After as milliseconds from now (seconds or HTTP date). */
export function retryAfterMs(h: Record<string, string>, nowMs: number): number | undefined {
  const v = h['retry-after'];
  if (v === undefined) return undefined;
  const n = num(v);
  if (n !== undefined) return Math.max(0, n * 1000);
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, d - nowMs);
}

/**
 * Default classification of a non-2xx response: 429 → rate_limited (reset from headers),
 * 401 → auth_expired, 403 → disconnected, 408/425/5xx → retryable, other 4xx → rejected.
 * Plugins refine it with platform-specific bodies before falling back to this.
 */
export function classifyHttpError(res: HttpResponse, nowMs: number, what = 'platform call'): PluginError {
  const detail = `${what} failed with HTTP ${res.status}: ${res.text().slice(0, 200)}`;
  if (res.status === 429) {
    const reset = readRateLimit(res, nowMs)?.resetAt;
    return new RateLimitedError(detail, new Date(reset ?? nowMs + 60_000));
  }
  if (res.status === 401) return new AuthExpiredError(detail);
  if (res.status === 403) return new DisconnectedError(detail);
  if (res.status === 408 || res.status === 425 || res.status >= 500) {
    return new RetryableError(detail, retryAfterMs(res.headers, nowMs));
  }
  return new RejectedError(detail);
}
