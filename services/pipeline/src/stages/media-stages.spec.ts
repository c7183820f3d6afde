import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { DiskObjectStorage } from '@sx/storage';
import { asset } from '../runs/test-harness';
import { ProbeStage, ValidateStage } from './asset-stages';
import { PermanentStageError, type StageContext, type StageResult } from './pipeline-stage';
import { cropForAspect } from './platform-presets';
import { RenditionsStage } from './renditions.stage';
import { readAll } from './stage-io';
import { ThumbnailStage } from './thumbnail.stage';
import { findFfmpeg } from './video-tools';

/** The output of a finished stage, typed for the assertion at hand. */
function outputOf<T>(r: StageResult): T {
  return (r as { output?: unknown }).output as T;
}

function ctx(partial: Partial<StageContext>): StageContext {
  return {
    runId: 'run-1', workspaceId: 'ws', correlationId: 'c', pipeline: 'default', attempt: 1,
    params: { platforms: [], autoSchedule: false }, asset: null, outputs: {}, log: () => undefined, ...partial,
  };
}

describe('media stages against disk storage', () => {
  let dir: string;
  let storage: DiskObjectStorage;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-stages-'));
    storage = DiskObjectStorage.openSync({ root: dir, presignBaseUrl: 'http://127.0.0.1/storage' });
    // A noisy 3000x1000 photo with EXIF orientation 6 (rotated) and a GPS-like comment to strip.
    const noise = Buffer.alloc(3000 * 1000 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const jpeg = await sharp(noise, { raw: { width: 3000, height: 1000, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Copyright: 'secret-location' } })
      .toBuffer();
    await storage.put('assets/asset-1/original', Readable.from(jpeg), { contentType: 'image/jpeg' });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('validate refuses rejected assets for good and waits for processing ones', async () => {
    const v = new ValidateStage();
    await expect(v.run(ctx({ asset: asset({ status: 'rejected' }) }))).rejects.toBeInstanceOf(PermanentStageError);
    await expect(v.run(ctx({ asset: asset({ status: 'processing' }) }))).rejects.not.toBeInstanceOf(PermanentStageError);
    await expect(v.run(ctx({ asset: asset() }))).resolves.toMatchObject({ status: 'succeeded' });
    await expect(v.run(ctx({ asset: null }))).rejects.toThrow(/needs an asset/);
  });

  it('probe measures images with sharp when the media metadata lacks dimensions (orientation applied)', async () => {
    const out = await new ProbeStage(storage).run(ctx({ asset: asset({ metadata: {}, kind: 'image' }) }));
    expect(out).toMatchObject({ status: 'succeeded', output: { width: 1000, height: 3000, aspect: 0.3333 } });
  });

  it('renders one rendition per platform inside its byte cap and aspect range, with EXIF stripped', async () => {
    const stage = new RenditionsStage(storage);
    const result = await stage.run(ctx({ asset: asset({ kind: 'image', mime: 'image/jpeg' }), params: { platforms: ['bluesky', 'instagram', 'nowhere'], autoSchedule: false } }));
    expect(result.status).toBe('succeeded');
    const out = outputOf<{ renditions: { platform: string; key: string; bytes: number; width: number; height: number }[]; skipped: unknown[] }>(result);
    const bluesky = out.renditions.find((r) => r.platform === 'bluesky')!;
    expect(bluesky.bytes).toBeLessThanOrEqual(1_000_000);
    expect(Math.max(bluesky.width, bluesky.height)).toBeLessThanOrEqual(2000);
    const insta = out.renditions.find((r) => r.platform === 'instagram')!;
    expect(insta.width / insta.height).toBeGreaterThanOrEqual(0.8 - 0.01);
    const stored = await sharp(await readAll(storage, bluesky.key)).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.height).toBeGreaterThan(stored.width!);
    expect(out.skipped).toEqual([{ platform: 'nowhere', reason: 'no preset for this platform' }]);
  });

  it('skips with a reason when no platform is targeted', async () => {
    const r = await new RenditionsStage(storage).run(ctx({ asset: asset({ platforms: [] }) }));
    expect(r).toEqual({ status: 'skipped', reason: 'no target platforms chosen for this asset' });
  });

  it('writes a 320 px WebP thumbnail', async () => {
    const r = await new ThumbnailStage(storage).run(ctx({ asset: asset({ kind: 'image' }) }));
    expect(r).toMatchObject({ status: 'succeeded', output: { width: 320 } });
    const meta = await sharp(await readAll(storage, outputOf<{ key: string }>(r).key)).metadata();
    expect(meta.format).toBe('webp');
  });

  it('crops into the aspect range around the centre', () => {
    expect(cropForAspect(1000, 3000, [0.8, 1.91])).toEqual({ left: 0, top: 875, width: 1000, height: 1250 });
    expect(cropForAspect(4000, 1000, [0.8, 1.91])).toEqual({ left: 1045, top: 0, width: 1910, height: 1000 });
    expect(cropForAspect(1000, 1000, [0.8, 1.91])).toBeNull();
  });

  it('transcodes video with the bundled ffmpeg and extracts a poster frame', async () => {
    const ffmpeg = findFfmpeg();
    expect(ffmpeg).not.toBeNull();
    const clip = path.join(dir, 'clip.mp4');
    execFileSync(ffmpeg!, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=2560x1440:rate=10', '-t', '0.5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip]);
    await storage.put('assets/v1/original', fs.createReadStream(clip), { contentType: 'video/mp4' });
    const video = asset({ id: 'v1', kind: 'video', mime: 'video/mp4', contentKey: 'assets/v1/original' });
    const r = await new RenditionsStage(storage).run(ctx({ asset: video, params: { platforms: ['bluesky', 'x'], autoSchedule: false }, outputs: { probe: { durationS: 1 } } }));
    const renditions = outputOf<{ renditions: { platform: string; key: string; mime: string }[] }>(r).renditions;
    expect(renditions.map((x) => [x.platform, x.mime])).toEqual([['bluesky', 'video/mp4'], ['x', 'video/mp4']]);
    const tooLong = await new RenditionsStage(storage).run(ctx({ asset: video, params: { platforms: ['x'], autoSchedule: false }, outputs: { probe: { durationS: 600 } } }));
    expect(outputOf<{ skipped: { reason: string }[] }>(tooLong).skipped[0].reason).toMatch(/at most 140 s/);
    const thumb = await new ThumbnailStage(storage).run(ctx({ asset: video, outputs: { probe: { durationS: 1 } } }));
    expect(thumb).toMatchObject({ status: 'succeeded', output: { width: 320, height: 180 } });
  });
});
