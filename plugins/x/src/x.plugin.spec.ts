import { AuthExpiredError, DisconnectedError, RateLimitedError, RejectedError, createTestContext, type MediaRef } from '@sx/plugin-sdk';
import { XContractServer } from '../contract-server/x-contract-server';
import plugin, { validate } from './index';
import type { XCredentials, XSettings } from './x-api';
import { connectAccount } from './testing/x-account';

const post = (text: string) => ({ text, hashtags: [], settings: {} });
const image = (id: string, sizeBytes: number, altText?: string): MediaRef => ({ id, kind: 'image', mimeType: 'image/png', sizeBytes, altText });

describe('X plugin', () => {
  let nowMs = Date.parse('2026-11-22T12:00:00Z');
  const clock = { now: () => new Date(nowMs), nowMs: () => nowMs };
  let server: XContractServer;
  let account: { credentials: XCredentials; settings: XSettings };
  const ctx = (media: { ref: MediaRef; bytes: Uint8Array }[] = [], credentials = account.credentials) =>
    createTestContext({ credentials, settings: account.settings, media, clock });

  beforeAll(async () => {
    server = new XContractServer({ now: () => nowMs });
    server.media.checkAfterSecs = 0;
    await server.start();
    account = await connectAccount(server);
  });
  afterAll(() => server.stop());

  describe('validate (weighted 280 counting, no platform call)', () => {
    it('counts ASCII as 1, CJK as 2, an emoji ZWJ sequence as 2 and every URL as 23', () => {
      expect(validate(post('a'.repeat(280)), []).ok).toBe(true);
      expect(validate(post('a'.repeat(281)), []).violations.map((v) => v.rule)).toEqual(['text.max_length']);
      expect(validate(post('漢'.repeat(140)), []).ok).toBe(true);
      expect(validate(post('漢'.repeat(141)), []).violations[0]).toMatchObject({ rule: 'text.max_length', actual: 282 });
      expect(validate(post('👩‍👩‍👧‍👦'.repeat(140)), []).ok).toBe(true);
      const url = `https://example.com/${'p'.repeat(200)}`;
      expect(validate(post(`${'a'.repeat(256)} ${url}`), []).ok).toBe(true);
    });

    it('lists every violated rule before any request reaches X', () => {
      const before = server.stats().requests;
      const media: MediaRef[] = [
        ...[1, 2, 3, 4].map((i) => image(`i${i}`, 6 * 1024 * 1024, 'x'.repeat(1001))),
        { id: 'g', kind: 'gif', mimeType: 'image/gif', sizeBytes: 100 },
      ];
      const r = validate(post(`$AAPL and $TSLA ${'漢'.repeat(200)}`), media);
      const rules = r.violations.map((v) => v.rule);
      expect(rules).toEqual(
        expect.arrayContaining(['text.max_length', 'x.max_cashtags', 'media.max_items', 'media.mixed', 'media.image.max_bytes', 'media.alt_text.max_length']),
      );
      expect(server.stats().requests).toBe(before);
    });
  });

  it('uploads media in chunks, waits for async video processing and attaches alt text', async () => {
    server.media.pollsUntilReady = 3;
    const big = new Uint8Array(2_500_000).fill(7);
    const video = new Uint8Array(1_200_000).fill(9);
    const res = await plugin.publish(
      ctx([
        { ref: image('img', big.length, 'a cat'), bytes: big },
      ]),
      { ...post('with an image'), media: [image('img', big.length, 'a cat')] },
    );
    const tweet = server.tweets.find((t) => t.id === res.platformPostId)!;
    const img = server.mediaStore.media.get(tweet.mediaIds[0])!;
    expect(img.segments.size).toBe(3);
    expect(Buffer.concat([...img.segments.values()]).equals(Buffer.from(big))).toBe(true);
    expect(img.altText).toBe('a cat');

    const vref: MediaRef = { id: 'vid', kind: 'video', mimeType: 'video/mp4', sizeBytes: video.length, durationS: 5 };
    const statusBefore = server.callsTo('media.status');
    const vres = await plugin.publish(ctx([{ ref: vref, bytes: video }]), { ...post('with a video'), media: [vref] });
    expect(server.callsTo('media.status') - statusBefore).toBe(3);
    const vt = server.tweets.find((t) => t.id === vres.platformPostId)!;
    expect(server.mediaStore.media.get(vt.mediaIds[0])!.state).toBe('succeeded');
  });

  it('classes failed media processing as rejected and posts nothing', async () => {
    server.media.pollsUntilReady = 1;
    server.media.failProcessingWith = 'Unsupported video codec';
    const video = new Uint8Array(1000);
    const vref: MediaRef = { id: 'v2', kind: 'video', mimeType: 'video/mp4', sizeBytes: 1000, durationS: 2 };
    const before = server.tweets.length;
    const err = await plugin.publish(ctx([{ ref: vref, bytes: video }]), { ...post('bad video'), media: [vref] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as Error).message).toContain('Unsupported video codec');
    expect(server.tweets.length).toBe(before);
    server.media.failProcessingWith = undefined;
  });

  it('classes the duplicate-content 403 as rejected', async () => {
    await plugin.publish(ctx(), { ...post('same words twice'), media: [] });
    const err = await plugin.publish(ctx(), { ...post('same words twice'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).violations[0].rule).toBe('x.duplicate_content');
  });

  it('turns a spent 15-minute window into rate_limited with resetAt from x-rate-limit-reset', async () => {
    nowMs += 60 * 60 * 1000; // a fresh window starts now
    const windowStart = nowMs;
    server.tweetLimit = 1;
    await plugin.publish(ctx(), { ...post('first in window'), media: [] });
    const err = await plugin.publish(ctx(), { ...post('second in window'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).resetAt.getTime()).toBe(windowStart + 15 * 60 * 1000);
    server.tweetLimit = 100;
  });

  it('waits for the 24-hour reset when the daily cap, not the 15-minute window, is spent', async () => {
    const window = Math.floor(nowMs / 1000) + 600;
    const daily = Math.floor(nowMs / 1000) + 20 * 3600;
    server.injectFault({
      route: 'tweets.create',
      status: 429,
      body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded', status: 429 },
      headers: { 'x-rate-limit-reset': String(window), 'x-user-limit-24hour-remaining': '0', 'x-user-limit-24hour-reset': String(daily) },
    });
    const err = await plugin.publish(ctx(), { ...post('daily cap'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).resetAt.getTime()).toBe(daily * 1000);
  });

  it('reports an expired access token as auth_expired, then rotates the refresh token exactly once', async () => {
    nowMs += 2 * 60 * 60 * 1000 + 1; // the 2 h access token lifetime has passed
    const err = await plugin.publish(ctx(), { ...post('after expiry'), media: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthExpiredError);
    const old = account.credentials;
    const refreshed = await plugin.refreshCredentials!(ctx());
    expect(refreshed.credentials.refreshToken).not.toBe(old.refreshToken);
    expect(refreshed.expiresAt).toBe(new Date(nowMs + 7200 * 1000).toISOString());
    const res = await plugin.publish(ctx([], refreshed.credentials), { ...post('after refresh'), media: [] });
    expect(res.url).toBe(`https://x.com/${old.username}/status/${res.platformPostId}`);
    // The spent refresh token cannot be used again: the account must be reconnected.
    const reuse = await plugin.refreshCredentials!(ctx([], old)).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(DisconnectedError);
    account = { ...account, credentials: refreshed.credentials };
  });

  it('rejects a connect attempt with a wrong PKCE verifier', async () => {
    const err = await plugin
      .connect(createTestContext({ credentials: {}, settings: account.settings }), {
        kind: 'oauth2_code',
        code: 'not-a-code',
        codeVerifier: 'wrong',
        redirectUri: 'http://127.0.0.1/callback',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectedError);
  });
});
