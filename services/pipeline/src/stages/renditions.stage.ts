import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import type { AssetInfo } from '../media/media-port';
import { cropForAspect, PLATFORM_PRESETS, type PlatformPreset } from './platform-presets';
import { PermanentStageError, type PipelineStage, type StageContext, type StageResult } from './pipeline-stage';
import { downloadTo, readAll, requireAsset } from './stage-io';
import { findFfmpeg, transcodeVideo } from './video-tools';

export interface Rendition {
  platform: string;
  key: string;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
}

const VIDEO_TIMEOUT_MS = 15 * 60_000;

/**
 * One rendition per target platform, inside that platform's limits: images with sharp (orientation
 * applied, metadata stripped, cropped into the aspect range, JPEG quality stepped down to fit the
 * byte cap), video with ffmpeg when an encoder is installed — otherwise the stage says so and skips.
 */
@Injectable()
export class RenditionsStage implements PipelineStage {
  readonly name = 'renditions';
  private readonly ffmpeg = findFfmpeg();

  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async run(ctx: StageContext): Promise<StageResult> {
    const asset = requireAsset(ctx);
    if (!asset.contentKey) throw new Error(`${asset.filename} has no stored content yet`);
    const platforms = targetPlatforms(ctx, asset);
    if (!platforms.length) return { status: 'skipped', reason: 'no target platforms chosen for this asset' };
    if (asset.kind === 'video' && !this.ffmpeg) {
      return { status: 'skipped', reason: 'no video encoder (ffmpeg) is available on this machine', output: { encoder: 'unavailable' } };
    }
    if (asset.kind !== 'image' && asset.kind !== 'video') return { status: 'skipped', reason: `${asset.kind} files need no renditions` };
    const renditions: Rendition[] = [];
    const skipped: { platform: string; reason: string }[] = [];
    const source = asset.kind === 'image' ? await readAll(this.storage, asset.contentKey) : undefined;
    for (const platform of platforms) {
      const preset = PLATFORM_PRESETS[platform];
      if (!preset) {
        skipped.push({ platform, reason: 'no preset for this platform' });
        continue;
      }
      if (source) renditions.push(await this.image(asset, platform, preset, source));
      else {
        const r = await this.video(ctx, asset, platform, preset);
        if ('reason' in r) skipped.push(r);
        else renditions.push(r);
      }
      ctx.log(`${platform}: done`);
    }
    return { status: 'succeeded', output: { renditions, skipped } };
  }

  private async image(asset: AssetInfo, platform: string, preset: PlatformPreset, source: Buffer): Promise<Rendition> {
    const oriented = await sharp(source).rotate().toBuffer({ resolveWithObject: true });
    const crop = cropForAspect(oriented.info.width, oriented.info.height, preset.image.aspect);
    for (let quality = 90; quality >= 40; quality -= 10) {
      let img = sharp(oriented.data);
      if (crop) img = img.extract(crop);
      const out = await img
        .resize({ width: preset.image.maxEdge, height: preset.image.maxEdge, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      if (out.data.length <= preset.image.maxBytes) {
        const key = `renditions/${asset.id}/${platform}.jpg`;
        await this.storage.put(key, Readable.from(out.data), { contentType: 'image/jpeg', metadata: { asset: asset.id, platform } });
        return { platform, key, mime: 'image/jpeg', bytes: out.data.length, width: out.info.width, height: out.info.height };
      }
    }
    throw new PermanentStageError(`${asset.filename} cannot be compressed under ${platform}'s ${preset.image.maxBytes}-byte limit`);
  }

  private async video(ctx: StageContext, asset: AssetInfo, platform: string, preset: PlatformPreset): Promise<Rendition | { platform: string; reason: string }> {
    if (!preset.video) return { platform, reason: 'this platform takes no video' };
    const duration = Number(ctx.outputs['probe']?.['durationS'] ?? NaN);
    if (Number.isFinite(duration) && duration > preset.video.maxDurationS) {
      return { platform, reason: `the clip is ${Math.round(duration)} s; ${platform} accepts at most ${preset.video.maxDurationS} s` };
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sx-rendition-'));
    try {
      const input = path.join(dir, 'input');
      const output = path.join(dir, 'output.mp4');
      await downloadTo(this.storage, asset.contentKey as string, input);
      await transcodeVideo(this.ffmpeg as string, input, output, preset.video.maxEdge, VIDEO_TIMEOUT_MS);
      const { size } = await stat(output);
      if (size > preset.video.maxBytes) return { platform, reason: `the encoded clip is ${size} bytes; ${platform} accepts ${preset.video.maxBytes}` };
      const key = `renditions/${asset.id}/${platform}.mp4`;
      await this.storage.put(key, createReadStream(output), { contentType: 'video/mp4', metadata: { asset: asset.id, platform } });
      return { platform, key, mime: 'video/mp4', bytes: size };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function targetPlatforms(ctx: StageContext, asset: AssetInfo): string[] {
  const list = ctx.params.platforms.length ? ctx.params.platforms : asset.platforms;
  return [...new Set(list)];
}
