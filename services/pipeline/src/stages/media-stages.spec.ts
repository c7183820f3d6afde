import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { DiskObjectStorage } from '@sx/storage';
import { parseManifest, renditionTargets } from '@sx/plugin-sdk';
import { asset, staticTargets } from '../runs/test-harness';
import { ProbeStage, ValidateStage } from './asset-stages';
import { PermanentStageError, type StageContext, type StageResult } from './pipeline-stage';
import { cropForAspect } from './image-rendition';
import { RenditionsStage } from './renditions.stage';
import { readAll } from './stage-io';
import { ThumbnailStage } from './thumbnail.stage';
import { findFfmpeg } from './video-tools';

/** ffmpeg's stream summary of a file (it prints it on stderr). */
function spawnSummary(ffmpeg: string, file: string): string {
  return spawnSync(ffmpeg, ['-hide_banner', '-i', file]).stderr.toString();
}

/** The output of a finished stage, typed for the assertion at hand. */
function outputOf<T>(r: StageResult): T {
  return (r as { output?: unknown }).output as T;
}

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The targets the real plugins' manifests give, plus an Instagram-like aspect range. */
function manifestTargets(id: string) {
  const r = parseManifest(JSON.parse(fs.readFileSync(path.join(ROOT, 'plugins', id, 'package.json'), 'utf8')).schedulerx);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return renditionTargets(r.manifest);
}
const targets = staticTargets({
  bluesky: manifestTargets('bluesky'),
  x: manifestTargets('x'),
  portrait: { image: { format: 'jpeg', maxWidth: 1440, maxHeight: 1800, maxBytes: 8_000_000, aspect: { min: 0.8, max: 1.91 } } },
  webm: {
    video: { container: 'webm', videoCodec: 'vp9', audioCodec: 'opus', maxWidth: 320, maxHeight: 320, aspect: { min: 1, max: 1 }, maxDurationS: 10, maxBytes: 5_000_000,
      cover: { atS: 0.2, format: 'png', maxWidth: 100, maxHeight: 100, maxBytes: 100_000 } },
  },
});

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
    const stage = new RenditionsStage(storage, targets);
    const result = await stage.run(ctx({ asset: asset({ kind: 'image', mime: 'image/jpeg' }), params: { platforms: ['bluesky', 'portrait', 'nowhere'], autoSchedule: false } }));
    expect(result.status).toBe('succeeded');
    const out = outputOf<{ renditions: { platform: string; key: string; bytes: number; width: number; height: number }[]; skipped: unknown[] }>(result);
    const bluesky = out.renditions.find((r) => r.platform === 'bluesky')!;
    expect(bluesky.bytes).toBeLessThanOrEqual(1_000_000);
    expect(Math.max(bluesky.width, bluesky.height)).toBeLessThanOrEqual(2000);
    const insta = out.renditions.find((r) => r.platform === 'portrait')!;
    expect(insta.width / insta.height).toBeGreaterThanOrEqual(0.8 - 0.01);
    const stored = await sharp(await readAll(storage, bluesky.key)).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.height).toBeGreaterThan(stored.width!);
    expect(out.skipped).toEqual([{ platform: 'nowhere', reason: 'no installed plugin publishes to this platform' }]);
  });

  it('skips with a reason when no platform is targeted', async () => {
    const r = await new RenditionsStage(storage, targets).run(ctx({ asset: asset({ platforms: [] }) }));
    expect(r).toEqual({ status: 'skipped', reason: 'no target platforms chosen for this asset' });
  });

  it('writes a 320 px WebP thumbnail', async () => {
    const r = await new ThumbnailStage(storage).run(ctx({ asset: asset({ kind: 'image' }) }));
    expect(r).toMatchObject({ status: 'succeeded', output: { width: 320 } });
    const meta = await sharp(await readAll(storage, outputOf<{ key: string }>(r).key)).metadata();
    expect(meta.format).toBe('webp');
  });

  it('crops into the aspect range around the centre', () => {
    const range = { min: 0.8, max: 1.91 };
    expect(cropForAspect(1000, 3000, range)).toEqual({ left: 0, top: 875, width: 1000, height: 1250 });
    expect(cropForAspect(4000, 1000, range)).toEqual({ left: 1045, top: 0, width: 1910, height: 1000 });
    expect(cropForAspect(1000, 1000, range)).toBeNull();
  });

  it('transcodes video with the bundled ffmpeg and extracts a poster frame', async () => {
    const ffmpeg = findFfmpeg();
    expect(ffmpeg).not.toBeNull();
    const clip = path.join(dir, 'clip.mp4');
    execFileSync(ffmpeg!, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=2560x1440:rate=10', '-t', '0.5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip]);
    await storage.put('assets/v1/original', fs.createReadStream(clip), { contentType: 'video/mp4' });
    const video = asset({ id: 'v1', kind: 'video', mime: 'video/mp4', contentKey: 'assets/v1/original' });
    const r = await new RenditionsStage(storage, targets).run(ctx({ asset: video, params: { platforms: ['bluesky', 'x'], autoSchedule: false }, outputs: { probe: { durationS: 1 } } }));
    const renditions = outputOf<{ renditions: { platform: string; key: string; mime: string }[] }>(r).renditions;
    expect(renditions.map((x) => [x.platform, x.mime])).toEqual([['bluesky', 'video/mp4'], ['x', 'video/mp4']]);
    const tooLong = await new RenditionsStage(storage, targets).run(ctx({ asset: video, params: { platforms: ['x'], autoSchedule: false }, outputs: { probe: { durationS: 600 } } }));
    expect(outputOf<{ skipped: { reason: string }[] }>(tooLong).skipped[0].reason).toMatch(/at most 140 s/);
    // A manifest asking for square VP9/Opus WebM with a PNG cover gets exactly that.
    const webm = await new RenditionsStage(storage, targets).run(ctx({ asset: video, params: { platforms: ['webm'], autoSchedule: false }, outputs: { probe: { durationS: 0.5 } } }));
    const w = outputOf<{ renditions: { key: string; mime: string; cover: { key: string; mime: string; width: number; height: number } }[] }>(webm).renditions[0];
    expect(w).toMatchObject({ key: 'renditions/v1/webm.webm', mime: 'video/webm', cover: { mime: 'image/png', width: 100, height: 100 } });
    const encoded = path.join(dir, 'encoded.webm');
    fs.writeFileSync(encoded, await readAll(storage, w.key));
    const summary = spawnSummary(ffmpeg!, encoded);
    expect(summary).toMatch(/Video: vp9/);
    expect(summary).toMatch(/ 320x320/);
    const thumb = await new ThumbnailStage(storage).run(ctx({ asset: video, outputs: { probe: { durationS: 1 } } }));
    expect(thumb).toMatchObject({ status: 'succeeded', output: { width: 320, height: 180 } });
  });
});
