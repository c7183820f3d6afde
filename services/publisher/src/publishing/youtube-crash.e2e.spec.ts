import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { MediaGet, MediaLocate, type MediaAsset } from '@sx/contracts';
import { createServiceDataSource } from '@sx/persistence';
import { DiskObjectStorage } from '@sx/storage';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { AccountsRepository } from '../accounts/accounts.repository';
import { CredentialCipher } from '../credentials/credential-cipher';
import { PUBLISHER_MIGRATIONS } from '../migrations/publisher-migrations';
import { control, serve, type Served } from '../testing/contract-servers';
import { dispatch, EventLog, jsNamespace, NATS_URL, PublisherProcess, testBus, waitFor, WORKSPACE_ROOT } from '../testing/publisher-harness';

const WS = 'ws-yt';
const VIDEO = 600_000;

/**
 * The publisher is SIGKILLed after the last byte of a YouTube upload reached the platform and before
 * its answer: after a restart the job is reconciled through the channel's uploads playlist (the job's
 * marker tag) and ends published with the one video — never uploaded twice. The publisher reads the
 * video's rendition from object storage, as in production.
 */
describe('crash mid-publish with the real youtube plugin', () => {
  const namespace = jsNamespace();
  const bus = testBus(namespace);
  const log = new EventLog();
  const key = randomBytes(32);
  let db: TestDatabase;
  let ds: DataSource;
  let dataDir: string;
  let publisher: PublisherProcess;
  let yt: Served;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    yt = await serve('youtube');
    dataDir = await fs.mkdtemp(path.join(tmpdir(), 'sx-yt-crash-'));
    const storage = await DiskObjectStorage.open({ root: path.join(dataDir, 'objects'), presignBaseUrl: '/storage/objects' });
    const bytes = Buffer.alloc(VIDEO, 7);
    await storage.put('assets/vid-1/published', Readable.from([Buffer.from('the original, not for youtube')]), { contentType: 'video/mp4' });
    await storage.put('renditions/vid-1/youtube.mp4', Readable.from([bytes]), { contentType: 'video/mp4', metadata: { width: '1080', height: '1920', 'duration-s': '30' } });
    await bus.start();
    const asset: MediaAsset = {
      id: 'vid-1', filename: 'clutch.mp4', mime: 'video/mp4', kind: 'video', bytes: 29, sha256: null, status: 'ready', statusCode: null, statusDetail: null,
      source: 'upload', metadata: { width: 2160, height: 3840, durationS: 30 }, tags: [], platforms: ['youtube'],
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', deletedAt: null, urls: { content: null, thumbnail: null },
    };
    await bus.handle(MediaGet, async () => ({ ok: true, data: asset }));
    await bus.handle(MediaLocate, async () => ({ ok: true, data: { key: 'assets/vid-1/published', mime: 'video/mp4', bytes: 29 } }));
    await bus.tail('post.>', (e) => log.events.push(e));
    env = {
      SX_MODE: 'distributed',
      SX_DATABASE_URL: db.url,
      SX_NATS_URL: NATS_URL,
      SX_DATA_DIR: dataDir,
      SX_STORAGE: 'disk',
      SX_PLUGINS_DIR: path.join(WORKSPACE_ROOT, 'plugins'),
      SX_CREDENTIAL_KEYS: `k1:${key.toString('base64')}`,
      SX_EGRESS_ALLOW: '127.0.0.1',
      SX_PLUGIN_CALL_TIMEOUT_MS: '4000',
      SX_LOG_LEVEL: 'silent',
    };
    publisher = await PublisherProcess.start(env, namespace);
    ds = await createServiceDataSource({ url: db.url, schema: 'publisher', entities: [], migrations: PUBLISHER_MIGRATIONS });
  }, 180_000);

  afterAll(async () => {
    await publisher?.kill();
    yt?.child.kill('SIGTERM');
    await bus.destroyNamespace().catch(() => undefined);
    await bus.close();
    await ds?.destroy();
    await db?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('ends with exactly one video, found again by reconcile after the restart', async () => {
    // Google OAuth runs in a browser; seed the account the connect flow produces (same repository, same key).
    const account = await new AccountsRepository(ds, new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', key]]) })).upsert({
      id: randomUUID(), workspaceId: WS, pluginId: 'youtube', platform: 'youtube', externalId: yt.credentials['channelId'],
      handle: yt.credentials['channelTitle'], settings: yt.settings, credentials: yt.credentials, now: new Date(),
    });
    await control.failNext(yt, { kind: 'commit_then_hang' });
    await dispatch(bus, { workspaceId: WS, jobId: 'crash-youtube', accountId: account.id, platform: 'youtube', text: 'Clutch round\nfull clip', mediaIds: ['vid-1'] });
    await waitFor('youtube stored the video', async () => ((await control.posts(yt)).length === 1) || undefined, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; events: ${JSON.stringify(log.events.map((x) => [x.subject, x.data]))}`);
    });
    await publisher.kill();
    expect(log.events.filter((e) => e.subject !== 'post.publishing')).toEqual([]);

    publisher = await PublisherProcess.start(env, namespace);
    const published = await waitFor('published youtube', () => log.data<{ platformPostId: string; url: string }>('post.published', 'crash-youtube'), 60_000);
    const posts = await control.posts(yt);
    expect(posts).toHaveLength(1);
    expect(published.platformPostId).toBe(posts[0].id);
    // The rendition (vertical, 30 s) went up, so the job links the Short.
    expect(published.url).toBe(`https://www.youtube.com/shorts/${posts[0].id}`);
    const state = (await (await fetch(`${yt.url}/__control/state`)).json()) as { quota: { inserts: number }; videos: { bytes: number }[] };
    expect(state.quota.inserts).toBe(1);
    expect(state.videos).toEqual([expect.objectContaining({ bytes: VIDEO })]);
  }, 180_000);
});
