import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import sharp from 'sharp';
import { createIngestHarness, type IngestHarness } from '../test-support/ingest-harness';
import { makeJpegWithExif, makeMp4, writeFixture } from '../test-support/media-fixtures';
import type { IngestInput } from './ingest.service';
import { hashFile } from './spool';
import { probeVideo } from './video-probe';

let actor = { workspaceId: 'ws-1', actorId: 'user-1', correlationId: 'corr-1' };
let wsCounter = 0;

async function inputFor(file: string, source: IngestInput['source'] = 'upload'): Promise<IngestInput> {
  const { size } = await stat(file);
  return { file, bytes: size, sha256: await hashFile(file), filename: path.basename(file), source, actor };
}

describe('IngestService', () => {
  let h: IngestHarness;
  // One database for the file; each test gets its own workspace and a clean event log.
  beforeAll(async () => {
    h = await createIngestHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    actor = { ...actor, workspaceId: `ws-${++wsCounter}` };
    h.outbox.events.length = 0;
  });

  it('ingests a JPEG: metadata with EXIF, a published copy without EXIF, a thumbnail, uploaded+ready events', async () => {
    const file = await writeFixture(h.tmp, 'holiday.jpg', await makeJpegWithExif(640, 480));
    const r = await h.ingest.ingest(await inputFor(file));
    expect(r.duplicate).toBe(false);
    expect(r.asset).toMatchObject({ status: 'ready', mime: 'image/jpeg', kind: 'image', filename: 'holiday.jpg' });
    // orientation 6 = rotated 90°: displayed size is 480x640
    expect(r.asset.metadata).toMatchObject({
      width: 480,
      height: 640,
      rotation: 90,
      exif: { present: true, orientation: 6, make: 'SecretCam', model: 'GPS-9000' },
    });
    expect(r.asset.urls).toEqual({ content: `/media/${r.asset.id}`, thumbnail: `/media/${r.asset.id}/thumbnail` });

    const row = await h.repo.getById(actor, r.asset.id);
    const published = await h.readObject(row.renditions.published!.key);
    expect(published.includes(Buffer.from('SecretCam'))).toBe(false);
    const pubMeta = await sharp(published).metadata();
    expect(pubMeta.exif).toBeUndefined();
    expect([pubMeta.width, pubMeta.height]).toEqual([480, 640]);
    const original = await h.readObject(row.storageKey!);
    expect(original.includes(Buffer.from('SecretCam'))).toBe(true);
    const thumb = await sharp(await h.readObject(row.renditions.thumbnail!.key)).metadata();
    expect(thumb.format).toBe('webp');
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);

    expect(h.outbox.subjects()).toEqual(['media.uploaded', 'media.ready']);
    expect(h.outbox.events[1].data).toMatchObject({ assetId: r.asset.id, source: 'upload', autoSchedule: false });
    expect(h.outbox.events[1].meta).toEqual({ workspaceId: actor.workspaceId, correlationId: 'corr-1' });
  });

  it('reports the same bytes as a duplicate of the same asset, even after a soft delete, per workspace', async () => {
    const file = await writeFixture(h.tmp, 'a.jpg', await makeJpegWithExif(100, 80));
    const first = await h.ingest.ingest(await inputFor(file));
    const again = await h.ingest.ingest({ ...(await inputFor(file)), filename: 'renamed.jpg' });
    expect(again).toMatchObject({ duplicate: true, asset: { id: first.asset.id, filename: 'a.jpg' } });

    const row = await h.repo.getById(actor, first.asset.id);
    row.deletedAt = h.clock.now();
    await h.repo.transaction((em) => h.repo.save(em, row));
    const restored = await h.ingest.ingest(await inputFor(file));
    expect(restored).toMatchObject({ duplicate: true, asset: { id: first.asset.id, deletedAt: null } });

    const other = await h.ingest.ingest({ ...(await inputFor(file)), actor: { ...actor, workspaceId: `${actor.workspaceId}-b` } });
    expect(other.duplicate).toBe(false);
    expect(other.asset.id).not.toBe(first.asset.id);
    expect(h.outbox.subjects().filter((s) => s === 'media.ready')).toHaveLength(2);
  });

  it('ingests an mp4 with duration, codecs, frame rate, a poster frame, and container metadata stripped', async () => {
    const file = await makeMp4(h.tmp, 2, '320x240');
    const r = await h.ingest.ingest(await inputFor(file, 'watch-folder'));
    expect(r.asset).toMatchObject({ status: 'ready', mime: 'video/mp4', kind: 'video', statusCode: null });
    const m = r.asset.metadata;
    expect(m).toMatchObject({ width: 320, height: 240, videoCodec: 'AVC', audioCodec: 'AAC', frameRate: 25, rotation: 0 });
    expect(m).toMatchObject({ probe: 'mediainfo.js+ffprobe', videoCodecName: 'h264', pixelFormat: 'yuv420p', frameRateExact: '25/1', audioCodecName: 'aac' });
    expect(m['durationS']).toBeCloseTo(2, 0);
    expect(Number(m['bitrate'])).toBeGreaterThan(0);

    const row = await h.repo.getById(actor, r.asset.id);
    const thumb = await sharp(await h.readObject(row.renditions.thumbnail!.key)).metadata();
    expect([thumb.format, thumb.width]).toEqual(['webp', 640]);
    const original = await h.readObject(row.storageKey!);
    const published = await h.readObject(row.renditions.published!.key);
    expect(original.includes(Buffer.from('secret-title'))).toBe(true);
    expect(published.includes(Buffer.from('secret-title'))).toBe(false);
    const ready = h.outbox.events.find((e) => e.subject === 'media.ready');
    expect(ready?.data).toMatchObject({ source: 'watch-folder', autoSchedule: true });
  });

  it('reports a phone video recorded in portrait with its display rotation and displayed size', async () => {
    const file = await makeMp4(h.tmp, 1, '320x240', 90);
    const r = await h.ingest.ingest(await inputFor(file));
    expect(r.asset.metadata).toMatchObject({ rotation: 90, width: 240, height: 320, codedWidth: 320, codedHeight: 240 });
    // The published copy lost its metadata but kept the rotation, so it still plays upright.
    const row = await h.repo.getById(actor, r.asset.id);
    const published = await writeFixture(h.tmp, 'published-rot.mp4', await h.readObject(row.renditions.published!.key));
    expect((await probeVideo(published)).metadata).toMatchObject({ rotation: 90, width: 240, height: 320 });
  });

  it('accepts a video without ffmpeg but says in its status that there is no poster frame', async () => {
    const bare = await createIngestHarness({ binaries: {} });
    try {
      const file = await makeMp4(bare.tmp, 1, '160x120');
      const r = await bare.ingest.ingest(await inputFor(file));
      expect(r.asset).toMatchObject({ status: 'ready', statusCode: 'no_ffmpeg', urls: { thumbnail: null } });
      expect(r.asset.statusDetail).toMatch(/ffmpeg/);
    } finally {
      await bare.close();
    }
  });

  it.each([
    ['anim.gif', 'image/gif'],
    ['still.webp', 'image/webp'],
  ])('ingests %s (%s) with a WebP thumbnail', async (name, mime) => {
    const frame = (r: number) => sharp({ create: { width: 60, height: 40, channels: 3, background: { r, g: 10, b: 10 } } }).png().toBuffer();
    const frames = await Promise.all([frame(10), frame(200)]);
    const img = mime === 'image/gif' ? sharp(frames, { join: { animated: true } }).gif() : sharp(frames[0]).webp();
    const file = await writeFixture(h.tmp, name, await img.toBuffer());
    const r = await h.ingest.ingest(await inputFor(file));
    expect(r.asset).toMatchObject({ mime, status: 'ready', metadata: { width: 60, height: 40 } });
    if (mime === 'image/gif') expect(r.asset.metadata['frames']).toBe(2);
  });

  it('settles concurrent uploads of the same bytes on one asset', async () => {
    const file = await writeFixture(h.tmp, 'race.jpg', await makeJpegWithExif(120, 90));
    const input = await inputFor(file);
    const results = await Promise.all([h.ingest.ingest(input), h.ingest.ingest(input), h.ingest.ingest(input)]);
    expect(new Set(results.map((r) => r.asset.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });

  it('after a crash, turns assets stuck in processing into rejected ones and removes their objects', async () => {
    const file = await writeFixture(h.tmp, 'stuck.jpg', await makeJpegWithExif(64, 64));
    const r = await h.ingest.ingest(await inputFor(file));
    const row = await h.repo.getById(actor, r.asset.id);
    row.status = 'processing';
    await h.repo.transaction((em) => h.repo.save(em, row));
    expect(await h.ingest.recoverInterrupted(60_000)).toBe(0); // not stale yet: another replica may be working on it
    h.clock.advance(120_000);
    expect(await h.ingest.recoverInterrupted(60_000)).toBe(1);
    expect(await h.repo.getById(actor, r.asset.id)).toMatchObject({ status: 'rejected', statusCode: 'interrupted' });
    expect((await h.listKeys()).filter((k) => k.includes(r.asset.id))).toEqual([]);
    expect(h.outbox.subjects().at(-1)).toBe('media.rejected');
  });

  it('counts outcomes in media_ingest_total', async () => {
    const fresh = await createIngestHarness();
    const file = await writeFixture(fresh.tmp, 'b.jpg', await makeJpegWithExif(50, 50));
    await fresh.ingest.ingest(await inputFor(file));
    await fresh.ingest.ingest(await inputFor(file));
    const text = await fresh.metrics.metrics();
    await fresh.close();
    expect(text).toMatch(/media_ingest_total\{outcome="ready"\} 1/);
    expect(text).toMatch(/media_ingest_total\{outcome="duplicate"\} 1/);
  });
});
