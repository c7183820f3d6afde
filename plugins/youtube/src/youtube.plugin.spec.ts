import { createHash } from 'node:crypto';
import { createTestContext, DisconnectedError, OutcomeUnknownError, RateLimitedError, RejectedError, RetryableError, type PostContent } from '@sx/plugin-sdk';
import { YouTubeContractServer } from '../contract-server/youtube-contract-server';
import plugin from './index';
import { nextPacificMidnight, type YouTubeCredentials, type YouTubeSettings } from './youtube-api';
import { clip, connectChannel } from './testing/youtube-account';

const post = (over: Partial<PostContent> = {}): PostContent => ({ text: 'Ace with the deagle', title: 'Ace round', hashtags: ['gaming', 'fps'], settings: {}, ...over });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('YouTube plugin against its contract server', () => {
  let server: YouTubeContractServer;
  let account: { credentials: YouTubeCredentials; settings: YouTubeSettings; authorizeUrl: string };

  beforeEach(async () => {
    server = new YouTubeContractServer();
    server.knobs.processingPolls = 0;
    await server.start();
    account = await connectChannel(server);
  });
  afterEach(() => server.close());

  const ctx = (media: ReturnType<typeof clip>[] = [clip(600_000)], key = `job-${Math.random()}`) =>
    createTestContext<YouTubeCredentials, YouTubeSettings>({ credentials: account.credentials, settings: account.settings, idempotencyKey: key, media });
  const publish = (p: PostContent, media = [clip(600_000)], key?: string) => {
    const c = ctx(media, key);
    return plugin.publish(c, { ...p, media: media.map((m) => m.ref) });
  };

  it('connects with offline access + PKCE and learns the channel and its uploads playlist', () => {
    const q = new URL(account.authorizeUrl).searchParams;
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('scope')).toContain('youtube.upload');
    expect(account.credentials).toMatchObject({ channelId: server.channel.id, uploadsPlaylistId: server.uploadsPlaylistId });
    expect(account.credentials.refreshToken).toMatch(/^1\/\//);
  });

  it('resumes from the last byte the server acknowledged after a chunk fails midway (probe bytes */N)', async () => {
    const media = clip(3 * 262_144 + 1000);
    // The second chunk reaches the server only partly (100,000 of 262,144 bytes), then the server fails.
    const original = server.uploads.put.bind(server.uploads);
    let puts = 0;
    const ranges: string[] = [];
    server.uploads.put = (req, complete) => {
      ranges.push(String(req.headers['content-range']));
      if (++puts === 2) server.uploads.knobs.failNextChunkAfterBytes = 100_000;
      return original(req, complete);
    };
    const res = await publish(post(), [media]);
    const total = media.bytes.length;
    expect(ranges).toEqual([
      `bytes 0-262143/${total}`,
      `bytes 262144-524287/${total}`,
      `bytes */${total}`,
      `bytes 362144-624287/${total}`,
      `bytes 624288-${total - 1}/${total}`,
    ]);
    expect(server.uploads.probes).toBe(1);
    expect(server.videos).toHaveLength(1);
    expect(server.videos[0]).toMatchObject({ id: res.platformPostId, bytes: media.bytes.length, sha256: sha(media.bytes) });
    expect(server.uploads.chunkPuts).toBe(4);
  });

  it('sends title, description, tags, category, privacy, made-for-kids and notify-subscribers', async () => {
    await publish(post({ settings: { privacyStatus: 'unlisted', categoryId: '20', madeForKids: true, notifySubscribers: false, tags: ['clips'] } }));
    const v = server.videos[0];
    expect(v.snippet).toMatchObject({ title: 'Ace round', description: 'Ace with the deagle\n\n#gaming #fps', categoryId: '20' });
    expect(v.snippet.tags).toEqual(['clips', 'gaming', 'fps', expect.stringMatching(/^sx-[0-9a-f]{16}$/)]);
    expect(v.status).toMatchObject({ privacyStatus: 'unlisted', selfDeclaredMadeForKids: true });
    expect(v.notifySubscribers).toBe(false);
    const at = new Date(Date.now() + 3600_000).toISOString();
    await publish(post({ settings: { publishAt: at } }));
    expect(server.videos[1].status).toMatchObject({ privacyStatus: 'private', publishAt: at });
  });

  it('links vertical clips of at most 3 minutes as Shorts, everything else as a watch page', async () => {
    const short = await publish(post(), [clip(1000, { width: 1080, height: 1920, durationS: 59 })]);
    expect(short.url).toBe(`https://www.youtube.com/shorts/${short.platformPostId}`);
    const long = await publish(post(), [clip(1000, { width: 1080, height: 1920, durationS: 200 })]);
    expect(long.url).toBe(`https://www.youtube.com/watch?v=${long.platformPostId}`);
    const wide = await publish(post(), [clip(1000, { width: 1920, height: 1080, durationS: 20 })]);
    expect(wide.url).toContain('watch?v=');
  });

  it('refuses by quota: the project bucket until midnight Pacific, the channel cap for 24 h', async () => {
    server.quota.knobs.insertsPerDay = 1;
    await publish(post(), [clip(1000)]);
    const err = await publish(post(), [clip(1000)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).resetAt.toISOString()).toBe(nextPacificMidnight(Date.now()).toISOString());
    server.quota.knobs.insertsPerDay = 100;
    server.quota.knobs.uploadsPerChannelPerDay = 1;
    const cap = await publish(post(), [clip(1000)]).catch((e: unknown) => e);
    expect(cap).toBeInstanceOf(RateLimitedError);
    expect((cap as RateLimitedError).resetAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(server.videos).toHaveLength(1);
  });

  it('reports processing that ends rejected or failed as a permanent refusal', async () => {
    server.knobs.processingPolls = 1;
    server.knobs.nextOutcome = { kind: 'rejected', rejectionReason: 'duplicate' };
    await expect(publish(post(), [clip(1000)])).rejects.toThrow(/rejected the video \(duplicate\)/);
    server.knobs.nextOutcome = { kind: 'failed', failureReason: 'codec' };
    const err = await publish(post(), [clip(1000)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as Error).message).toMatch(/codec/);
  });

  it('publishes unaudited uploads (locked private by YouTube) and says so in the log', async () => {
    server.knobs.audited = false;
    const c = ctx([clip(1000)]);
    await plugin.publish(c, { ...post(), media: [clip(1000).ref] });
    expect(server.videos[0].status.privacyStatus).toBe('private');
    expect(c.logger.lines.some((l) => l.level === 'warn' && /audit/.test(l.msg))).toBe(true);
  });

  it('uploads an attached image as the custom thumbnail, and publishes without it when refused', async () => {
    const thumb = { ref: { id: 'thumb', kind: 'image' as const, mimeType: 'image/jpeg', sizeBytes: 5 }, bytes: new Uint8Array([255, 216, 255, 224, 0]) };
    await publish(post(), [clip(1000), thumb]);
    expect(server.videos[0].thumbnail).toEqual({ contentType: 'image/jpeg', bytes: 5 });
    server.knobs.channelVerified = false;
    await publish(post(), [clip(1000), thumb]);
    expect(server.videos[1].thumbnail).toBeUndefined();
  });

  it('restarts cleanly when the session expired mid-upload: nothing is published, the attempt is retryable', async () => {
    const original = server.uploads.put.bind(server.uploads);
    let puts = 0;
    server.uploads.put = (req, complete) => {
      if (++puts === 2) server.uploads.expireAll();
      return original(req, complete);
    };
    await expect(publish(post(), [clip(2 * 262_144 + 10)])).rejects.toBeInstanceOf(RetryableError);
    expect(server.videos).toHaveLength(0);
  });

  it('after a crash on the final chunk, reconcile finds the upload in the uploads playlist by its marker', async () => {
    server.failNext({ kind: 'commit_then_drop' });
    const key = 'job-crash-1';
    const media = clip(1000, { width: 1080, height: 1350, durationS: 12 });
    await expect(publish(post(), [media], key)).rejects.toBeInstanceOf(OutcomeUnknownError);
    const again = ctx([media], key);
    const found = await plugin.reconcile!(again, { ...post(), media: [media.ref] });
    expect(found).toEqual({ status: 'found', platformPostId: server.videos[0].id, url: `https://www.youtube.com/shorts/${server.videos[0].id}`, publishedAt: server.videos[0].snippet.publishedAt });
    expect(await plugin.reconcile!(ctx([media], 'job-other'), { ...post(), media: [media.ref] })).toEqual({ status: 'not_found' });
  });

  it('asks for a new connection when Google revokes the refresh token', async () => {
    server.oauth.revokeRefreshTokens();
    await expect(plugin.refreshCredentials!(ctx())).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('refuses to connect a Google account without a channel', async () => {
    server.knobs.hasChannel = false;
    await expect(connectChannel(server)).rejects.toThrow(/no YouTube channel/);
  });

  it('validates every YouTube rule without a platform call', () => {
    const r = plugin.validate(post({ title: `${'t'.repeat(101)}<`, text: 'a > b', hashtags: Array.from({ length: 60 }, (_, i) => `tag${i}long`), settings: { privacyStatus: 'secret' } }), []);
    const rules = (r as { violations: { rule: string }[] }).violations.map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['media.video_required', 'youtube.title_max_length', 'youtube.title_characters', 'youtube.description_characters', 'youtube.settings']));
    const tags = plugin.validate(post({ hashtags: Array.from({ length: 60 }, (_, i) => `tag${i}long`) }), [clip(10).ref]);
    expect((tags as { violations: { rule: string }[] }).violations.map((v) => v.rule)).toEqual(['youtube.tags_max_length']);
    const past = plugin.validate(post({ settings: { publishAt: '2020-01-01T00:00:00Z' } }), [clip(10).ref]);
    expect((past as { violations: { rule: string }[] }).violations.map((v) => v.rule)).toEqual(['youtube.publish_at']);
  });

  it('computes the next midnight in Los Angeles across DST', () => {
    expect(nextPacificMidnight(Date.parse('2026-07-01T12:00:00Z')).toISOString()).toBe('2026-07-02T07:00:00.000Z');
    expect(nextPacificMidnight(Date.parse('2026-01-15T07:59:59Z')).toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(nextPacificMidnight(Date.parse('2026-03-08T12:00:00Z')).toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(nextPacificMidnight(Date.parse('2026-11-01T12:00:00Z')).toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });
});
