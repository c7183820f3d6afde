import { AuthExpiredError, DisconnectedError, RateLimitedError, RejectedError, RetryableError, createTestContext, type MediaRef } from '@sx/plugin-sdk';
import { BlueskyContractServer } from '../contract-server/bluesky-contract-server';
import plugin, { validate } from './index';
import type { BskyCredentials, BskySettings } from './bsky-api';
import { recordKeyFor } from './record-key';
import { connectAccount } from './testing/bsky-account';

const post = (text: string) => ({ text, hashtags: [], settings: {} });

describe('Bluesky plugin (contract server)', () => {
  let nowMs = Date.parse('2026-11-22T12:00:00Z');
  const clock = { now: () => new Date(nowMs), nowMs: () => nowMs };
  let server: BlueskyContractServer;
  let account: { credentials: BskyCredentials; settings: BskySettings };
  const ctx = (o: { media?: { ref: MediaRef; bytes: Uint8Array }[]; key?: string; attempt?: number; credentials?: BskyCredentials } = {}) =>
    createTestContext({ credentials: o.credentials ?? account.credentials, settings: account.settings, media: o.media, clock, idempotencyKey: o.key, attempt: o.attempt });

  beforeAll(async () => {
    server = new BlueskyContractServer({
      now: () => nowMs,
      accounts: [
        { did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', handle: 'sx.test', password: 'app-pass-word-0001' },
        { did: 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb', handle: 'friend.test', password: 'other-pass-word' },
      ],
    });
    await server.start();
    const connected = await connectAccount(server.url, 'sx.test', 'app-pass-word-0001');
    account = { ...connected, settings: { ...connected.settings, videoService: server.url } };
  });
  afterAll(() => server.stop());

  it('validates 300 graphemes and 3000 bytes and lists every violated rule', () => {
    expect(validate(post('é'.repeat(300)), []).ok).toBe(true);
    expect(validate(post('👩‍👩‍👧‍👦'.repeat(120)), []).ok).toBe(true); // 120 graphemes, exactly 3000 bytes
    expect(validate(post('👩‍👩‍👧‍👦'.repeat(121)), []).violations.map((v) => v.rule)).toEqual(['text.max_bytes']);
    const before = server.stats().requests;
    const media: MediaRef[] = [1, 2, 3, 4, 5].map((i) => ({ id: `m${i}`, kind: 'image', mimeType: 'image/png', sizeBytes: 2_000_000 }));
    const rules = validate(post('👩‍👩‍👧‍👦'.repeat(301)), [...media, { id: 'g', kind: 'gif', mimeType: 'image/gif', sizeBytes: 10 }]).violations.map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['text.max_length', 'text.max_bytes', 'media.max_items', 'media.image.max_bytes', 'media.mixed', 'media.gif.unsupported']));
    expect(server.stats().requests).toBe(before);
  });

  it('writes link, mention and hashtag facets with UTF-8 byte offsets and images with alt text', async () => {
    const text = 'Grüße 🌍 @friend.test see https://example.com/a?b=1 #SchedulerX';
    const refs: MediaRef[] = [
      { id: 'a', kind: 'image', mimeType: 'image/png', sizeBytes: 3, altText: 'first', width: 640, height: 480 },
      { id: 'b', kind: 'image', mimeType: 'image/jpeg', sizeBytes: 2, altText: 'second' },
    ];
    const res = await plugin.publish(
      ctx({ key: 'facets-1', media: [{ ref: refs[0], bytes: new Uint8Array([1, 2, 3]) }, { ref: refs[1], bytes: new Uint8Array([4, 5]) }] }),
      { ...post(text), media: refs },
    );
    const rec = server.postRecords().find((r) => r.uri === res.platformPostId)!;
    expect(rec.rkey).toBe(recordKeyFor('facets-1'));
    expect(res.url).toBe(`https://bsky.app/profile/sx.test/post/${rec.rkey}`);
    const buf = Buffer.from(text, 'utf8');
    const facets = rec.value.facets as Array<{ index: { byteStart: number; byteEnd: number }; features: Array<Record<string, string>> }>;
    const slices = facets.map((f) => [buf.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), f.features[0]]);
    expect(slices).toEqual([
      ['@friend.test', { $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb' }],
      ['https://example.com/a?b=1', { $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/a?b=1' }],
      ['#SchedulerX', { $type: 'app.bsky.richtext.facet#tag', tag: 'SchedulerX' }],
    ]);
    const images = (rec.value.embed as { images: Array<{ alt: string; aspectRatio?: unknown }> }).images;
    expect(images.map((i) => i.alt)).toEqual(['first', 'second']);
    expect(images[0].aspectRatio).toEqual({ width: 640, height: 480 });
  });

  describe('video (async processing by the video service)', () => {
    const vref: MediaRef = { id: 'v', kind: 'video', mimeType: 'video/mp4', sizeBytes: 64, durationS: 3, altText: 'a clip', width: 1280, height: 720 };
    const bytes = (fill: number) => new Uint8Array(64).fill(fill);

    it('uploads with a service token, polls the job until completed and embeds the video blob', async () => {
      server.video.pollsUntilReady = 3;
      const before = server.callsTo('video.status');
      const res = await plugin.publish(ctx({ key: 'video-1', media: [{ ref: vref, bytes: bytes(1) }] }), { ...post('a video'), media: [vref] });
      expect(server.callsTo('video.status') - before).toBe(3);
      const embed = server.postRecords().find((r) => r.uri === res.platformPostId)!.value.embed as Record<string, unknown>;
      expect(embed).toMatchObject({ $type: 'app.bsky.embed.video', alt: 'a clip', aspectRatio: { width: 1280, height: 720 }, video: { mimeType: 'video/mp4', size: 64 } });
      // The same bytes again: the service answers 409 already_exists with the job, and the post still goes out.
      const again = await plugin.publish(ctx({ key: 'video-2', media: [{ ref: vref, bytes: bytes(1) }] }), { ...post('same clip'), media: [vref] });
      expect(again.platformPostId).not.toBe(res.platformPostId);
    });

    it('classes a failed encoding job as rejected and posts nothing', async () => {
      server.video.pollsUntilReady = 1;
      server.video.failWith = 'Video is too long';
      const count = server.postRecords().length;
      const err = await plugin.publish(ctx({ key: 'video-3', media: [{ ref: vref, bytes: bytes(2) }] }), { ...post('bad'), media: [vref] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RejectedError);
      expect((err as Error).message).toContain('Video is too long');
      expect(server.postRecords().length).toBe(count);
      server.video.failWith = undefined;
    });

    it('turns an exhausted daily video quota into rate_limited until the next UTC day', async () => {
      server.video.canUpload = false;
      const err = await plugin.publish(ctx({ key: 'video-4', media: [{ ref: vref, bytes: bytes(3) }] }), { ...post('quota'), media: [vref] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).resetAt.toISOString()).toBe('2026-11-23T00:00:00.000Z');
      server.video.canUpload = true;
    });
  });

  it('posts a thread as replies (root + parent refs) and completes it on a later attempt without duplicates', async () => {
    const thread = { ...post('thread root'), thread: ['second part', 'third part'], media: [] };
    server.injectFault({ route: 'createRecord', after: 1, status: 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } });
    const count = server.postRecords().length;
    const err = await plugin.publish(ctx({ key: 'thread-1' }), thread).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(server.postRecords().length).toBe(count + 1);
    const res = await plugin.publish(ctx({ key: 'thread-1', attempt: 2 }), thread);
    expect(server.postRecords().length).toBe(count + 3);
    expect(res.extraPostIds).toHaveLength(2);
    const [second, third] = res.extraPostIds!.map((uri) => server.postRecords().find((r) => r.uri === uri)!);
    const root = server.postRecords().find((r) => r.uri === res.platformPostId)!;
    expect(second.value.reply).toEqual({ root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } });
    expect(third.value).toMatchObject({ text: 'third part', reply: { root: { uri: root.uri }, parent: { uri: second.uri, cid: second.cid } } });
  });

  it('does not post twice when a later attempt finds the record key already written', async () => {
    const first = await plugin.publish(ctx({ key: 'retry-1' }), { ...post('once only'), media: [] });
    const count = server.postRecords().length;
    const again = await plugin.publish(ctx({ key: 'retry-1', attempt: 2 }), { ...post('once only'), media: [] });
    expect(again.platformPostId).toBe(first.platformPostId);
    expect(server.postRecords().length).toBe(count);
  });

  it('turns a 429 into rate_limited at the unix RateLimit-Reset', async () => {
    nowMs += 2 * 60 * 60 * 1000;
    const fresh = await plugin.refreshCredentials!(ctx());
    account = { ...account, credentials: fresh.credentials };
    const windowStart = nowMs;
    server.writeLimit = 1;
    await plugin.publish(ctx(), { ...post('one'), media: [] });
    const err = await plugin.publish(ctx(), { ...post('two'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).resetAt.getTime()).toBe(windowStart + 60 * 60 * 1000);
    server.writeLimit = 1666;
  });

  it('refreshes an expired session with the rotating refreshJwt, and logs in again when that one is spent', async () => {
    nowMs += 3 * 60 * 60 * 1000; // past the 2 h access lifetime
    const err = await plugin.publish(ctx(), { ...post('expired'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthExpiredError);
    const old = account.credentials;
    const logins = server.sessions.loginCount;
    const refreshed = await plugin.refreshCredentials!(ctx());
    expect(refreshed.credentials.refreshJwt).not.toBe(old.refreshJwt);
    expect(server.sessions.loginCount).toBe(logins);
    // Reusing the spent refresh token: the PDS says ExpiredToken, so the plugin logs in with the app password.
    const again = await plugin.refreshCredentials!(ctx({ credentials: old }));
    expect(server.sessions.loginCount).toBe(logins + 1);
    await expect(plugin.publish(ctx({ credentials: again.credentials }), { ...post('fresh'), media: [] })).resolves.toMatchObject({ platformPostId: expect.stringContaining('at://') });
    const wrong = await plugin.refreshCredentials!(ctx({ credentials: { ...old, appPassword: 'revoked-app-pass' } })).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(DisconnectedError);
    expect((wrong as Error).message).not.toContain('revoked-app-pass');
  });
});
