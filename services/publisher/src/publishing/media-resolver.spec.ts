import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { InProcessEventBus } from '@sx/bus';
import { MediaGet, MediaLocate, type MediaAsset } from '@sx/contracts';
import { DiskObjectStorage } from '@sx/storage';
import { RejectedError, RetryableError } from '@sx/plugin-sdk';
import { MediaResolver } from './media-resolver';

const asset = (id: string, over: Partial<MediaAsset> = {}): MediaAsset => ({
  id,
  filename: `${id}.png`,
  mime: 'image/png',
  kind: 'image',
  bytes: 4,
  sha256: null,
  status: 'ready',
  statusCode: null,
  statusDetail: null,
  source: 'upload',
  metadata: { width: 640, height: 480, altText: 'a cat' },
  tags: [],
  platforms: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  urls: { content: null, thumbnail: null },
  ...over,
});

describe('MediaResolver', () => {
  const bus = new InProcessEventBus();
  let storage: DiskObjectStorage;
  let root: string;
  const assets: Record<string, MediaAsset> = {
    img: asset('img'),
    pending: asset('pending', { status: 'processing' }),
    sound: asset('sound', { kind: 'audio', mime: 'audio/mpeg' }),
  };

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(tmpdir(), 'sx-media-'));
    storage = await DiskObjectStorage.open({ root: path.join(root, 'objects'), presignBaseUrl: 'http://localhost/storage/objects' });
    await storage.put('assets/ws/img/published', Readable.from([Buffer.from('PNG!')]), { contentType: 'image/png' });
    await bus.start();
    await bus.handle(MediaGet, async (r, ctx) =>
      assets[r.assetId] && ctx.workspaceId === 'ws'
        ? { ok: true, data: assets[r.assetId] }
        : { ok: false, error: { code: 'not_found', message: `asset ${r.assetId} was not found`, status: 404 } },
    );
    await bus.handle(MediaLocate, async (r) => ({
      ok: true,
      data: r.assetId === 'img' ? { key: 'assets/ws/img/published', mime: 'image/png', bytes: 4 } : { key: null, mime: 'audio/mpeg', bytes: 1 },
    }));
  });
  afterAll(async () => {
    await bus.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('resolves refs from the media service and copies the bytes to a private temp file, removed on cleanup', async () => {
    const resolver = new MediaResolver(bus, storage, root);
    const media = await resolver.resolve('ws', 'c1', ['img']);
    expect(media.items[0].ref).toEqual({
      id: 'img', kind: 'image', mimeType: 'image/png', sizeBytes: 4, width: 640, height: 480, durationS: undefined, altText: 'a cat', filename: 'img.png',
    });
    expect(await fs.readFile(media.items[0].path, 'utf8')).toBe('PNG!');
    expect((await fs.stat(media.items[0].path)).mode & 0o777).toBe(0o600);
    await media.cleanup();
    expect(existsSync(media.items[0].path)).toBe(false);
  });

  it('refuses missing, other-workspace and unsupported media permanently, retries media not ready yet', async () => {
    const resolver = new MediaResolver(bus, storage, root);
    await expect(resolver.resolve('ws', 'c', ['nope'])).rejects.toBeInstanceOf(RejectedError);
    await expect(resolver.resolve('other', 'c', ['img'])).rejects.toBeInstanceOf(RejectedError);
    await expect(resolver.resolve('ws', 'c', ['pending'])).rejects.toBeInstanceOf(RetryableError);
    await expect(resolver.resolve('ws', 'c', ['sound'])).rejects.toThrow(/no platform plugin publishes/);
    await expect(new MediaResolver(bus, undefined).resolve('ws', 'c', ['img'])).rejects.toBeInstanceOf(RejectedError);
    expect(await new MediaResolver(bus, undefined).resolve('ws', 'c', [])).toMatchObject({ items: [] });
    const left = (await fs.readdir(root)).filter((f) => f.startsWith('sx-publish-'));
    expect(left).toEqual([]);
  });
});

describe('MediaResolver: platform renditions and signed public URLs', () => {
  const bus = new InProcessEventBus();
  let storage: DiskObjectStorage;
  let root: string;
  const now = Date.parse('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(tmpdir(), 'sx-media-'));
    storage = await DiskObjectStorage.open({ root: path.join(root, 'objects'), presignBaseUrl: '/storage/objects' });
    await storage.put('assets/ws/vid/published', Readable.from([Buffer.from('ORIGINAL')]), { contentType: 'video/mp4' });
    await storage.put('renditions/vid/youtube.mp4', Readable.from([Buffer.from('YT-RENDITION')]), {
      contentType: 'video/mp4', metadata: { width: '1080', height: '1920', 'duration-s': '42' },
    });
    await storage.put('renditions/vid/youtube-cover.jpg', Readable.from([Buffer.from('COVER')]), { contentType: 'image/jpeg' });
    await bus.start();
    await bus.handle(MediaGet, async (r) => ({ ok: true, data: asset(r.assetId, { kind: 'video', mime: 'video/mp4', metadata: { width: 3840, height: 2160 } }) }));
    await bus.handle(MediaLocate, async () => ({ ok: true, data: { key: 'assets/ws/vid/published', mime: 'video/mp4', bytes: 8 } }));
  });
  afterAll(async () => {
    await bus.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  const resolver = () => new MediaResolver(bus, storage, root, { publicBaseUrl: 'https://sx.example.org', ttlS: 600, clock: { nowMs: () => now } });

  it("hands the plugin its platform's rendition (bytes and dimensions), not the original", async () => {
    const media = await resolver().resolve('ws', 'c', ['vid'], 'youtube');
    expect(await fs.readFile(media.items[0].path, 'utf8')).toBe('YT-RENDITION');
    expect(media.items[0].ref).toMatchObject({ mimeType: 'video/mp4', sizeBytes: 12, width: 1080, height: 1920, durationS: 42 });
    await media.cleanup();
    const other = await resolver().resolve('ws', 'c', ['vid'], 'tiktok');
    expect(await fs.readFile(other.items[0].path, 'utf8')).toBe('ORIGINAL');
    expect(other.items[0].ref).toMatchObject({ sizeBytes: 8, width: 3840, height: 2160 });
    await other.cleanup();
  });

  it('signs an expiring public URL under SX_PUBLIC_URL that the storage route accepts for exactly that object', async () => {
    const media = await resolver().resolve('ws', 'c', ['vid'], 'youtube');
    const { publicUrl, publicUrlExpiresAt } = media.items[0].ref;
    expect(publicUrl).toMatch(/^https:\/\/sx\.example\.org\/storage\/objects\/renditions\/vid\/youtube\.mp4\?/);
    expect(publicUrlExpiresAt).toBe('2026-03-01T12:10:00.000Z');
    const pathAndQuery = publicUrl!.slice('https://sx.example.org'.length);
    expect(storage.verifyPresigned('GET', pathAndQuery)).toBe('renditions/vid/youtube.mp4');
    expect(() => storage.verifyPresigned('GET', pathAndQuery.replace('youtube.mp4', 'youtube-cover.jpg'))).toThrow();
    expect(() => storage.verifyPresigned('PUT', pathAndQuery)).toThrow();
    await media.cleanup();
  });
});
