import { DisconnectedError, RateLimitedError, RejectedError, RetryableError, createTestContext, type MediaRef } from '@sx/plugin-sdk';
import { MastodonContractServer } from '../contract-server/mastodon-contract-server';
import plugin, { validate } from './index';
import type { MastodonCredentials, MastodonSettings } from './mastodon-api';
import { connectAccount } from './testing/mastodon-account';

const post = (text: string) => ({ text, hashtags: [], settings: {} });

describe('Mastodon plugin', () => {
  let nowMs = Date.parse('2026-11-22T12:00:00Z');
  const clock = { now: () => new Date(nowMs), nowMs: () => nowMs };
  let server: MastodonContractServer;
  let account: { credentials: MastodonCredentials; settings: MastodonSettings };
  const ctx = (o: { media?: { ref: MediaRef; bytes: Uint8Array }[]; key?: string; credentials?: MastodonCredentials } = {}) =>
    createTestContext({ credentials: o.credentials ?? account.credentials, settings: account.settings, media: o.media, clock, idempotencyKey: o.key });

  beforeAll(async () => {
    server = new MastodonContractServer({ now: () => nowMs });
    await server.start();
    account = await connectAccount(server);
  });
  afterAll(() => server.stop());

  it('counts graphemes, every URL as 23 and a remote mention by its local part', () => {
    const url = `https://example.org/${'a'.repeat(300)}`;
    expect(validate(post(`${'é'.repeat(476)} ${url}`), []).ok).toBe(true);
    expect(validate(post(`${'é'.repeat(477)} ${url}`), []).violations.map((v) => v.rule)).toEqual(['text.max_length']);
    const mention = '@alice@very-long-instance-name.example.social';
    expect(validate(post(`${'x'.repeat(493)} ${mention}`), []).ok).toBe(true);
  });

  it('lists every violated rule before any request reaches the instance', () => {
    const before = server.stats().requests;
    const media: MediaRef[] = [
      { id: 'v', kind: 'video', mimeType: 'video/x-msvideo', sizeBytes: 200_000_000 },
      ...[1, 2, 3, 4].map((i): MediaRef => ({ id: `i${i}`, kind: 'image', mimeType: 'image/png', sizeBytes: 10, altText: 'd'.repeat(1501) })),
    ];
    const rules = validate({ ...post('y'.repeat(600)), settings: { visibility: 'everyone', spoilerText: 42 } }, media).violations.map((v) => v.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['settings.visibility', 'settings.spoiler_text', 'text.max_length', 'media.max_items', 'media.mixed', 'media.video.mime_type', 'media.video.max_bytes', 'media.alt_text.max_length']),
    );
    expect(server.stats().requests).toBe(before);
  });

  it("refuses a post that breaks this instance's own limits before uploading or posting", async () => {
    server.limits = { ...server.limits, maxCharacters: 100, maxMediaAttachments: 1 };
    const refs: MediaRef[] = ['a', 'b'].map((id) => ({ id, kind: 'image', mimeType: 'image/png', sizeBytes: 3 }));
    const err = await plugin
      .publish(ctx({ media: refs.map((ref) => ({ ref, bytes: new Uint8Array(3) })) }), { ...post('z'.repeat(150)), media: refs })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).violations.map((v) => v.rule).sort()).toEqual(['media.max_items', 'text.max_length']);
    expect(server.callsTo('media.upload') + server.callsTo('statuses.create')).toBe(0);
    server.limits = { ...server.limits, maxCharacters: 500, maxMediaAttachments: 4 };
  });

  it('uploads an image (200) and a video (202, then polls 206 until 200) and attaches both media', async () => {
    server.media.pollsUntilReady = 2;
    const img: MediaRef = { id: 'img', kind: 'image', mimeType: 'image/png', sizeBytes: 4, altText: 'a red dot' };
    const res = await plugin.publish(ctx({ media: [{ ref: img, bytes: new Uint8Array([1, 2, 3, 4]) }] }), { ...post('image'), media: [img] });
    expect(server.callsTo('media.get')).toBe(0);
    const st = server.statuses.find((s) => s.id === res.platformPostId)!;
    expect(server.mediaStore.get(st.mediaIds[0])!.description).toBe('a red dot');

    const vid: MediaRef = { id: 'vid', kind: 'video', mimeType: 'video/mp4', sizeBytes: 8 };
    const vres = await plugin.publish(ctx({ media: [{ ref: vid, bytes: new Uint8Array(8) }] }), { ...post('video'), media: [vid] });
    expect(server.callsTo('media.get')).toBe(2);
    expect(server.statuses.find((s) => s.id === vres.platformPostId)!.mediaIds).toHaveLength(1);
    expect(vres.url).toBe(`${server.url}/@sx/${vres.platformPostId}`);
  });

  it('sends the Idempotency-Key so a repeated attempt returns the same status instead of a second one', async () => {
    const before = server.statuses.length;
    const a = await plugin.publish(ctx({ key: 'job-42' }), { ...post('only once'), media: [] });
    const b = await plugin.publish(ctx({ key: 'job-42' }), { ...post('only once'), media: [] });
    expect(b.platformPostId).toBe(a.platformPostId);
    expect(server.statuses.length).toBe(before + 1);
  });

  it('posts a thread as a reply chain and finishes it on a later attempt without duplicates', async () => {
    const thread = { ...post('thread root'), thread: ['part two', 'part three'], media: [] };
    server.injectFault({ route: 'statuses.create', after: 1, status: 503, body: { error: 'Service Unavailable' } });
    const before = server.statuses.length;
    await expect(plugin.publish(ctx({ key: 'thread-9' }), thread)).rejects.toBeInstanceOf(RetryableError);
    expect(server.statuses.length).toBe(before + 1);
    const res = await plugin.publish(ctx({ key: 'thread-9' }), thread);
    expect(server.statuses.length).toBe(before + 3);
    const [two, three] = res.extraPostIds!.map((id) => server.statuses.find((s) => s.id === id)!);
    expect(two).toMatchObject({ content: 'part two', inReplyToId: res.platformPostId });
    expect(three).toMatchObject({ content: 'part three', inReplyToId: two.id });
  });

  it('classes "not finished processing" as retryable', async () => {
    server.injectFault({ route: 'statuses.create', status: 422, body: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' } });
    const err = await plugin.publish(ctx(), { ...post('racing media'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
  });

  it('turns a 429 into rate_limited at the ISO X-RateLimit-Reset instant', async () => {
    nowMs += 60 * 60 * 1000;
    const windowStart = nowMs;
    server.statusLimit = 1;
    await plugin.publish(ctx(), { ...post('first'), media: [] });
    const err = await plugin.publish(ctx(), { ...post('second'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).resetAt.getTime()).toBe(windowStart + 5 * 60 * 1000);
    server.statusLimit = 300;
  });

  it('classes a revoked token (401) as disconnected: Mastodon tokens cannot be refreshed', async () => {
    const token = server.oauth.issueToken();
    server.oauth.revoke(token);
    const err = await plugin.publish(ctx({ credentials: { ...account.credentials, accessToken: token } }), { ...post('revoked'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectedError);
    expect((err as Error).message).not.toContain(token);
  });
});
