// End to end against a real @atproto/pds 0.4 with a local PLC (started once for this file).
import { AtpAgent } from '@atproto/api';
import { DisconnectedError, OutcomeUnknownError, createTestContext, type MediaRef } from '@sx/plugin-sdk';
import sharp from 'sharp';
import plugin from './index';
import type { BskyCredentials, BskySettings } from './bsky-api';
import { recordKeyFor } from './record-key';
import { startLocalPds, type LocalPds } from './testing/local-pds';
import { connectAccount } from './testing/bsky-account';
import { startDroppingProxy } from './testing/dropping-proxy';

describe('Bluesky plugin against a real local PDS', () => {
  let pds: LocalPds;
  let account: { credentials: BskyCredentials; settings: BskySettings };
  let bobDid: string;
  let png: Buffer;
  const ctx = (o: { key: string; attempt?: number; media?: { ref: MediaRef; bytes: Uint8Array }[]; credentials?: BskyCredentials }) =>
    createTestContext({ credentials: o.credentials ?? account.credentials, settings: account.settings, idempotencyKey: o.key, attempt: o.attempt, media: o.media });
  const readRecord = async (rkey: string) => {
    const agent = new AtpAgent({ service: pds.url });
    const res = await agent.com.atproto.repo.getRecord({ repo: account.credentials.did!, collection: 'app.bsky.feed.post', rkey });
    return res.data.value as Record<string, unknown>;
  };
  const countPosts = async () => {
    const agent = new AtpAgent({ service: pds.url });
    const res = await agent.com.atproto.repo.listRecords({ repo: account.credentials.did!, collection: 'app.bsky.feed.post', limit: 100 });
    return res.data.records.length;
  };

  beforeAll(async () => {
    pds = await startLocalPds();
    await pds.createAccount('alice.test', 'alice-main-password');
    bobDid = (await pds.createAccount('bob.test', 'bob-main-password')).did;
    const appPassword = await pds.createAppPassword('alice.test', 'alice-main-password', 'schedulerx');
    account = await connectAccount(pds.url, 'alice.test', appPassword);
    png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#3366ff' } }).png().toBuffer();
  }, 90_000);
  afterAll(async () => {
    await pds?.stop();
  });

  it('publishes text with facets and an image with alt text under the precomputed record key', async () => {
    const text = 'Hallo Wält @bob.test → https://example.com/x #sx';
    const ref: MediaRef = { id: 'img', kind: 'image', mimeType: 'image/png', sizeBytes: png.length, width: 8, height: 6, altText: 'a blue square' };
    const res = await plugin.publish(ctx({ key: 'pds-job-1', media: [{ ref, bytes: png }] }), { text, hashtags: [], settings: {}, media: [ref] });
    const rkey = recordKeyFor('pds-job-1');
    expect(res.platformPostId).toBe(`at://${account.credentials.did}/app.bsky.feed.post/${rkey}`);
    const value = await readRecord(rkey);
    expect(value.text).toBe(text);
    const facets = value.facets as Array<{ index: { byteStart: number; byteEnd: number }; features: Array<Record<string, string>> }>;
    const buf = Buffer.from(text, 'utf8');
    expect(facets.map((f) => [buf.subarray(f.index.byteStart, f.index.byteEnd).toString(), f.features[0].did ?? f.features[0].uri ?? f.features[0].tag])).toEqual([
      ['@bob.test', bobDid],
      ['https://example.com/x', 'https://example.com/x'],
      ['#sx', 'sx'],
    ]);
    const embed = value.embed as { images: Array<{ alt: string; aspectRatio: unknown; image: { size?: number } }> };
    expect(embed.images[0].alt).toBe('a blue square');
    expect(embed.images[0].aspectRatio).toEqual({ width: 8, height: 6 });
  });

  it('reconciles by record key and never writes the same job twice', async () => {
    const before = await countPosts();
    const first = await plugin.publish(ctx({ key: 'pds-job-2' }), { text: 'exactly once', hashtags: [], settings: {}, media: [] });
    const found = await plugin.reconcile!(ctx({ key: 'pds-job-2' }), { text: 'exactly once', hashtags: [], settings: {}, media: [] });
    expect(found).toMatchObject({ status: 'found', platformPostId: first.platformPostId });
    const again = await plugin.publish(ctx({ key: 'pds-job-2', attempt: 2 }), { text: 'exactly once', hashtags: [], settings: {}, media: [] });
    expect(again.platformPostId).toBe(first.platformPostId);
    expect(await countPosts()).toBe(before + 1);
    const missing = await plugin.reconcile!(ctx({ key: 'pds-job-never' }), { text: 'x', hashtags: [], settings: {}, media: [] });
    expect(missing).toEqual({ status: 'not_found' });
  });

  it('loses the answer of a committed createRecord, reports unknown, then reconciles to exactly one post', async () => {
    const proxy = await startDroppingProxy(pds.url);
    try {
      const settings = { ...account.settings, service: proxy.url };
      const c = (attempt: number) => createTestContext({ credentials: account.credentials, settings, idempotencyKey: 'pds-crash-1', attempt });
      const body = { text: 'answer lost on the way back', hashtags: [], settings: {}, media: [] };
      const before = await countPosts();
      proxy.dropNext('/xrpc/com.atproto.repo.createRecord');
      await expect(plugin.publish(c(1), body)).rejects.toBeInstanceOf(OutcomeUnknownError);
      expect(await countPosts()).toBe(before + 1);
      const rec = await plugin.reconcile!(c(1), body);
      expect(rec).toMatchObject({ status: 'found', platformPostId: `at://${account.credentials.did}/app.bsky.feed.post/${recordKeyFor('pds-crash-1')}` });
      const retried = await plugin.publish(c(2), body);
      expect(retried.platformPostId).toBe(rec.status === 'found' ? rec.platformPostId : '');
      expect(await countPosts()).toBe(before + 1);
    } finally {
      await proxy.close();
    }
  });

  it('refreshes the session (rotating refreshJwt) and refuses a wrong app password as disconnected', async () => {
    const refreshed = await plugin.refreshCredentials!(ctx({ key: 'r' }));
    expect(refreshed.credentials.refreshJwt).not.toBe(account.credentials.refreshJwt);
    expect(Date.parse(refreshed.expiresAt!)).toBeGreaterThan(Date.now());
    const res = await plugin.publish(ctx({ key: 'pds-job-3', credentials: refreshed.credentials }), { text: 'after refresh', hashtags: [], settings: {}, media: [] });
    expect(res.url).toMatch(/^https:\/\/bsky\.app\/profile\/alice\.test\/post\//);
    const err = await plugin
      .refreshCredentials!(ctx({ key: 'r2', credentials: { ...refreshed.credentials, refreshJwt: 'garbage', appPassword: 'wrong-wrong-wrong' } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectedError);
  });
});
