import { DisconnectedError, OutcomeUnknownError, RateLimitedError, RejectedError, RetryableError, createTestBaseContext, createTestContext } from '@sx/plugin-sdk';
import { WebhookReceiver } from '../contract-server/webhook-receiver';
import plugin, { manifest, type WebhookCredentials } from './index';

const SECRET = 'whsec_plugin_spec_abcdefghijkl';
const post = (text: string) => ({ text, hashtags: ['sx'], settings: { channel: 'news' }, media: [] });

describe('webhook plugin', () => {
  const nowMs = Date.parse('2026-11-22T12:00:00Z');
  const clock = { now: () => new Date(nowMs), nowMs: () => nowMs };
  let receiver: WebhookReceiver;
  let credentials: WebhookCredentials;
  const ctx = (key: string, creds = credentials) => createTestContext({ credentials: creds, settings: {}, idempotencyKey: key, clock });

  beforeAll(async () => {
    receiver = new WebhookReceiver({ secret: SECRET, now: () => nowMs });
    await receiver.start();
    credentials = { url: `${receiver.hookUrl}?token=zap-path-token-123`, secret: SECRET };
  });
  afterAll(() => receiver.close());

  it('declares no reconcile capability, so a crash mid-delivery ends unknown', () => {
    expect(manifest.capabilities).not.toContain('reconcile');
    expect(plugin.reconcile).toBeUndefined();
  });

  it('delivers a signed payload the receiver verifies, with the idempotency key and the post', async () => {
    const res = await plugin.publish(ctx('job-1'), post('hello receivers'));
    const d = receiver.deliveries.find((x) => x.id === res.platformPostId)!;
    expect(d.idempotencyKey).toBe('job-1');
    expect(d.payload).toMatchObject({ id: 'job-1', event: 'post.publish', attempt: 1, post: { text: 'hello receivers', hashtags: ['sx'], settings: { channel: 'news' } } });
    expect(res.url).toBe(`${receiver.url}/deliveries/${d.id}`);
  });

  it('is deduplicated by the receiver when the same job is delivered again', async () => {
    const a = await plugin.publish(ctx('job-2'), post('twice?'));
    const b = await plugin.publish(ctx('job-2'), post('twice?'));
    expect(b.platformPostId).toBe(a.platformPostId);
    expect(receiver.deliveries.filter((d) => d.idempotencyKey === 'job-2')).toHaveLength(1);
  });

  it('is refused (401 → disconnected) with a wrong secret or a stale timestamp, without leaking the URL token', async () => {
    const wrong = await plugin.publish(ctx('job-3', { ...credentials, secret: 'another-secret-0123456' }), post('x')).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(DisconnectedError);
    expect((wrong as Error).message).not.toContain('zap-path-token-123');
    const skewed = createTestContext({ credentials, settings: {}, idempotencyKey: 'job-4', clock: { now: () => new Date(nowMs - 600_000), nowMs: () => nowMs - 600_000 } });
    await expect(plugin.publish(skewed, post('late'))).rejects.toBeInstanceOf(DisconnectedError);
    expect(receiver.deliveries.some((d) => d.idempotencyKey === 'job-3' || d.idempotencyKey === 'job-4')).toBe(false);
  });

  it('masks the secret URL path in transport errors (answer lost after delivery → unknown)', async () => {
    receiver.injectFault({ route: 'deliver', commit: 'drop' });
    const secretUrl = { ...credentials, url: `${receiver.hookUrl}?token=zap-path-token-123` };
    const err = await plugin.publish(ctx('job-8', secretUrl), post('dropped')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect((err as Error).message).not.toContain('/hook');
    expect((err as Error).message).toContain(receiver.url);
    expect(receiver.deliveries.some((d) => d.idempotencyKey === 'job-8')).toBe(true);
  });

  it('classes 429 as rate_limited at Retry-After, 5xx as retryable with Retry-After and other 4xx as rejected', async () => {
    receiver.injectFault({ route: 'deliver', status: 429, headers: { 'retry-after': '120' }, body: {} });
    const limited = await plugin.publish(ctx('job-5'), post('a')).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).resetAt.getTime()).toBe(nowMs + 120_000);
    receiver.injectFault({ route: 'deliver', status: 502, headers: { 'retry-after': '9' }, body: {} });
    const down = await plugin.publish(ctx('job-6'), post('b')).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(RetryableError);
    expect((down as RetryableError).retryAfterMs).toBe(9_000);
    receiver.injectFault({ route: 'deliver', status: 400, body: { error: 'bad' } });
    await expect(plugin.publish(ctx('job-7'), post('c'))).rejects.toBeInstanceOf(RejectedError);
  });

  it('refuses a connection without a usable URL and secret, listing both problems', async () => {
    const err = await plugin.connect(createTestBaseContext({}), { kind: 'webhook_url', url: 'ftp://example.com/x', secret: 'short' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).violations.map((v) => v.rule)).toEqual(['credentials.url', 'credentials.secret']);
    expect((err as Error).message).not.toContain('short');
  });

  it('refuses loopback, private, link-local and credentialed receivers at connect time (unless allowlisted)', async () => {
    const secret = 'a-signing-secret-long-enough';
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.7/hook', 'http://192.168.1.1/hook', 'http://169.254.169.254/', 'http://[::1]/hook', 'http://localhost/hook', 'https://user:pw@hooks.example/x']) {
      const err = await plugin.connect(createTestBaseContext({}, { allow: [] }), { kind: 'webhook_url', url, secret }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RejectedError);
    }
    const allowed = await plugin.connect(createTestBaseContext({}, { allow: ['127.0.0.1'] }), { kind: 'webhook_url', url: 'http://127.0.0.1:8080/hook', secret });
    expect(allowed.profile.handle).toBe('127.0.0.1:8080');
  });

  it('validates before any delivery: empty text is refused and media are not accepted', () => {
    const before = receiver.stats().requests;
    const withMedia = plugin.validate({ text: 'hi', hashtags: [], settings: {} }, [{ id: 'm', kind: 'image', mimeType: 'image/png', sizeBytes: 1 }]);
    expect(withMedia).toMatchObject({ ok: false, violations: expect.arrayContaining([expect.objectContaining({ rule: 'media.max_items' })]) });
    const empty = plugin.validate({ text: '  ', hashtags: [], settings: {} }, []);
    expect(empty).toMatchObject({ ok: false, violations: [expect.objectContaining({ rule: 'text.required' })] });
    expect(receiver.stats().requests).toBe(before);
  });
});
