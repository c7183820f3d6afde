// Webhook plugin: a signed JSON POST per post for Zapier/n8n-style receivers.
import { createHash } from 'node:crypto';
import {
  definePlugin,
  parseManifest,
  DisconnectedError,
  OutcomeUnknownError,
  RateLimitedError,
  RejectedError,
  RetryableError,
  retryAfterMs,
  validateAgainstManifest,
  type HttpRequest,
  type HttpResponse,
  type PluginContext,
  type PluginError,
  type PublishPost,
  type PublishResult,
} from '@sx/plugin-sdk';
import pkg from '../package.json';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './signature';

const parsed = parseManifest(pkg.schedulerx);
if (!parsed.ok) throw new Error(`invalid webhook manifest: ${parsed.problems.join('; ')}`);
export const manifest = parsed.manifest;

export interface WebhookCredentials extends Record<string, unknown> {
  url: string;
  secret: string;
}
export interface WebhookSettings extends Record<string, unknown> {
  event?: string;
}
type Ctx = PluginContext<WebhookCredentials, WebhookSettings>;

const MIN_SECRET = 16;

/** The receiver URL may carry a token in its path or query: only its origin is ever shown. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}

export function classifyReceiver(res: HttpResponse, nowMs: number): PluginError {
  const what = `webhook ${originOf(res.url)} answered HTTP ${res.status}`;
  const wait = retryAfterMs(res.headers, nowMs);
  if (res.status === 429) return new RateLimitedError(what, new Date(nowMs + (wait ?? 60_000)));
  if (res.status >= 500 || res.status === 408) return new RetryableError(what, wait);
  // The receiver refuses our signature or the endpoint: a person must fix the connection.
  if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 410) return new DisconnectedError(what);
  return new RejectedError(what);
}

/**
 * The HTTP helper's transport errors name the request path; a receiver URL's path is often its secret
 * (Zapier, n8n), so errors are re-raised with the path masked, keeping their class.
 */
async function deliver(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  try {
    return await ctx.http.request(req);
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    let secrets: string[] = [ctx.credentials.url];
    try {
      const u = new URL(ctx.credentials.url);
      secrets = [`${u.pathname}${u.search}`, u.pathname];
    } catch {
      // not a URL: mask the raw value
    }
    let masked = err.message;
    for (const secret of secrets) if (secret.length > 1) masked = masked.split(secret).join('/…');
    if (masked === err.message) throw err;
    if (err instanceof OutcomeUnknownError) throw new OutcomeUnknownError(masked);
    if (err instanceof RetryableError) throw new RetryableError(masked, err.retryAfterMs);
    if (err instanceof RejectedError) throw new RejectedError(masked, err.violations);
    throw new OutcomeUnknownError(masked);
  }
}

async function publish(ctx: Ctx, post: PublishPost): Promise<PublishResult> {
  const nowMs = ctx.clock.nowMs();
  const timestamp = Math.floor(nowMs / 1000);
  const body = JSON.stringify({
    id: ctx.idempotencyKey,
    event: ctx.settings.event ?? 'post.publish',
    attempt: ctx.attempt,
    sentAt: new Date(nowMs).toISOString(),
    post: { text: post.text, title: post.title, hashtags: post.hashtags, settings: post.settings },
  });
  const res = await deliver(ctx, {
    method: 'POST',
    url: ctx.credentials.url,
    body,
    maxRedirects: 0,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': ctx.idempotencyKey,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: sign(ctx.credentials.secret, timestamp, body),
    },
  });
  if (res.status < 200 || res.status >= 300) throw classifyReceiver(res, nowMs);
  const receipt = res.json<{ id?: unknown; url?: unknown }>();
  const deliveryId = createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 24);
  const id = typeof receipt?.id === 'string' && receipt.id ? receipt.id : `wh_${deliveryId}`;
  const url = typeof receipt?.url === 'string' && /^https?:\/\//.test(receipt.url) ? receipt.url : originOf(ctx.credentials.url);
  if (!/^https?:\/\//.test(url)) throw new OutcomeUnknownError('the receiver accepted the delivery but its URL is unusable');
  return { platformPostId: id, url };
}

export default definePlugin<WebhookCredentials, WebhookSettings>({
  manifest,
  validate: (post, media) => validateAgainstManifest(manifest, post, media),
  publish,
  async connect(ctx, input) {
    if (input.kind !== 'webhook_url') {
      throw new RejectedError(`a webhook connects with a URL, not ${input.kind}`, [{ rule: 'auth.kind', message: 'give a URL and a secret' }]);
    }
    const violations = [];
    let parsedUrl: URL | undefined;
    try {
      parsedUrl = new URL(input.url);
    } catch {
      violations.push({ rule: 'credentials.url', field: 'url', message: 'not an absolute URL' });
    }
    if (parsedUrl && !['http:', 'https:'].includes(parsedUrl.protocol)) {
      violations.push({ rule: 'credentials.url', field: 'url', message: 'only http and https are allowed' });
    }
    if (!input.secret || input.secret.length < MIN_SECRET) {
      violations.push({ rule: 'credentials.secret', field: 'secret', message: `a signing secret of at least ${MIN_SECRET} characters is required`, limit: MIN_SECRET });
    }
    if (violations.length || !parsedUrl || !input.secret) throw new RejectedError('invalid webhook connection', violations);
    // Refused now (loopback, private, link-local, credentialed) rather than at the first publish, hours later.
    await ctx.http.checkUrl(input.url);
    const externalId = createHash('sha256').update(input.url).digest('hex').slice(0, 16);
    return { credentials: { url: input.url, secret: input.secret }, profile: { externalId, handle: parsedUrl.host } };
  },
});
