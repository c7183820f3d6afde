// Shared pieces of the YouTube plugin: settings/credentials, authenticated calls and the error
// classification of ../shared/platforms/youtube.md ("branch on errors[0].reason").
import { z } from 'zod';
import {
  AuthExpiredError,
  DisconnectedError,
  RateLimitedError,
  RejectedError,
  RetryableError,
  retryAfterMs,
  type HttpRequest,
  type HttpResponse,
  type PluginContext,
  type PluginError,
} from '@sx/plugin-sdk';

export const settingsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  apiBaseUrl: z.url().default('https://www.googleapis.com'),
  authorizeUrl: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
  uploadChunkBytes: z.number().int().min(262_144).multipleOf(262_144).default(8 * 1024 * 1024),
});
export type YouTubeSettings = z.input<typeof settingsSchema>;
export type ParsedSettings = z.output<typeof settingsSchema>;

export const credentialsSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.string().optional(),
  channelId: z.string().min(1),
  channelTitle: z.string().optional(),
  uploadsPlaylistId: z.string().min(1),
});
export type YouTubeCredentials = z.infer<typeof credentialsSchema>;
export type YouTubeContext = PluginContext<YouTubeCredentials, YouTubeSettings>;

export function settingsOf(raw: unknown): ParsedSettings {
  const r = settingsSchema.safeParse(raw);
  if (!r.success) throw new RejectedError(`YouTube settings are incomplete: ${r.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return r.data;
}

export function credentialsOf(raw: unknown): YouTubeCredentials {
  const r = credentialsSchema.safeParse(raw);
  if (!r.success) throw new DisconnectedError('stored YouTube credentials are incomplete: reconnect the account');
  return r.data;
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; errors?: { reason?: string; message?: string }[]; status?: string };
}

export function reasonOf(res: HttpResponse): string | undefined {
  return res.json<GoogleErrorBody>()?.error?.errors?.[0]?.reason;
}

/** The next midnight in America/Los_Angeles after `nowMs` (YouTube's quota reset). */
export function nextPacificMidnight(nowMs: number): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(nowMs)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const sinceMidnightS = parts['hour'] * 3600 + parts['minute'] * 60 + parts['second'];
  // DST days are 23 or 25 h long: step to the estimate, then correct by the zone's own clock.
  const estimate = nowMs + (86_400 - sinceMidnightS) * 1000;
  const check = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', hour: 'numeric' }).format(estimate);
  const drift = Number(check) === 23 ? 3_600_000 : Number(check) === 1 ? -3_600_000 : 0;
  return new Date(Math.floor((estimate + drift) / 1000) * 1000);
}

/** Maps a non-2xx Google answer onto the SDK's error classes by `errors[0].reason`. */
export function classifyYouTube(res: HttpResponse, nowMs: number, what: string): PluginError {
  const reason = reasonOf(res);
  const message = res.json<GoogleErrorBody>()?.error?.message ?? res.text().slice(0, 200);
  const detail = `${what}: HTTP ${res.status}${reason ? ` ${reason}` : ''} — ${message}`;
  if (res.status === 401 && reason !== 'youtubeSignupRequired') return new AuthExpiredError(detail);
  switch (reason) {
    case 'quotaExceeded':
      return new RateLimitedError(`${detail} (the project's daily quota resets at midnight Pacific)`, nextPacificMidnight(nowMs));
    case 'uploadLimitExceeded':
      return new RateLimitedError(`${detail} (the channel's daily upload cap)`, new Date(nowMs + 24 * 3600_000));
    case 'rateLimitExceeded':
    case 'userRateLimitExceeded':
      return new RateLimitedError(detail, new Date(nowMs + (retryAfterMs(res.headers, nowMs) ?? 60_000)));
    case 'youtubeSignupRequired':
    case 'forbidden':
    case 'insufficientPermissions':
      return new DisconnectedError(`${detail} (reconnect with a Google account that has a YouTube channel and grants upload)`);
    case 'backendError':
      return new RetryableError(detail);
  }
  if (res.status === 429) return new RateLimitedError(detail, new Date(nowMs + (retryAfterMs(res.headers, nowMs) ?? 60_000)));
  if (res.status >= 500 || res.status === 408) return new RetryableError(detail, retryAfterMs(res.headers, nowMs));
  return new RejectedError(detail, [{ rule: `youtube.${reason ?? 'rejected'}`, message }]);
}

/** An authenticated Data API call; anything but 2xx is classified and thrown. */
export async function ytCall(ctx: YouTubeContext, what: string, req: HttpRequest): Promise<HttpResponse> {
  const c = credentialsOf(ctx.credentials);
  const url = new URL(req.url, settingsOf(ctx.settings).apiBaseUrl).toString();
  const res = await ctx.http.request({ ...req, url, headers: { ...req.headers, authorization: `Bearer ${c.accessToken}` } });
  if (res.status >= 200 && res.status < 300) return res;
  throw classifyYouTube(res, ctx.clock.nowMs(), what);
}
