import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { RenditionTargets, VideoRendition } from '@sx/plugin-sdk';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import type { AssetInfo } from '../media/media-port';
import { encodeImage } from './image-rendition';
import { PermanentStageError, type PipelineStage, type StageContext, type StageResult } from './pipeline-stage';
import { RENDITION_TARGETS, type RenditionTargetsPort } from './rendition-targets.port';
import { downloadTo, readAll, requireAsset } from './stage-io';
import { findFfmpeg, frameAt, transcodeVideo, VIDEO_MIME } from './video-tools';

export interface StoredObject {
  key: string;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
}

export interface Rendition extends StoredObject {
  platform: string;
  /** The still the platform takes as cover/thumbnail, when its manifest asks for one. */
  cover?: StoredObject;
}

type Skip = { platform: string; reason: string };
const VIDEO_TIMEOUT_MS = 15 * 60_000;

/**
 * One rendition per target platform, inside what that platform's plugin manifest declares
 * (`renditions`, or limits derived from `media`): images with sharp, video with ffmpeg when an
 * encoder is installed — otherwise the stage says so and skips. Nothing here names a platform.
 */
@Injectable()
export class RenditionsStage implements PipelineStage {
  readonly name = 'renditions';
  private readonly ffmpeg = findFfmpeg();

  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(RENDITION_TARGETS) private readonly targets: RenditionTargetsPort,
  ) {}

  async run(ctx: StageContext): Promise<StageResult> {
    const asset = requireAsset(ctx);
    if (!asset.contentKey) throw new Error(`${asset.filename} has no stored content yet`);
    const platforms = targetPlatforms(ctx, asset);
    if (!platforms.length) return { status: 'skipped', reason: 'no target platforms chosen for this asset' };
    if (asset.kind === 'video' && !this.ffmpeg) {
      return { status: 'skipped', reason: 'no video encoder (ffmpeg) is available on this machine', output: { encoder: 'unavailable' } };
    }
    if (asset.kind !== 'image' && asset.kind !== 'video') return { status: 'skipped', reason: `${asset.kind} files need no renditions` };
    const known = await this.targets.byPlatform(ctx);
    const renditions: Rendition[] = [];
    const skipped: Skip[] = [];
    const source = asset.kind === 'image' ? await readAll(this.storage, asset.contentKey) : undefined;
    for (const platform of platforms) {
      const targets = known.get(platform);
      const r = !targets
        ? { platform, reason: 'no installed plugin publishes to this platform' }
        : source
          ? await this.image(asset, platform, targets, source)
          : await this.video(ctx, asset, platform, targets);
      if ('reason' in r) skipped.push(r);
      else renditions.push(r);
      ctx.log(`${platform}: ${'reason' in r ? `skipped (${r.reason})` : 'done'}`);
    }
    return { status: 'succeeded', output: { renditions, skipped } };
  }

  private async image(asset: AssetInfo, platform: string, targets: RenditionTargets, source: Buffer): Promise<Rendition | Skip> {
    if (!targets.image) return { platform, reason: 'this platform takes no images' };
    const out = await encodeImage(source, targets.image);
    if (!out) throw new PermanentStageError(`${asset.filename} cannot be compressed under ${platform}'s ${targets.image.maxBytes}-byte limit`);
    const key = `renditions/${asset.id}/${platform}.${out.ext}`;
    await this.storage.put(key, Readable.from(out.data), { contentType: out.mime, metadata: { asset: asset.id, platform } });
    return { platform, key, mime: out.mime, bytes: out.data.length, width: out.width, height: out.height };
  }

  private async video(ctx: StageContext, asset: AssetInfo, platform: string, targets: RenditionTargets): Promise<Rendition | Skip> {
    const target = targets.video;
    if (!target) return { platform, reason: 'this platform takes no video' };
    const duration = Number(ctx.outputs['probe']?.['durationS'] ?? NaN);
    if (Number.isFinite(duration) && duration > target.maxDurationS) {
      return { platform, reason: `the clip is ${Math.round(duration)} s; ${platform} accepts at most ${target.maxDurationS} s` };
    }
    if (Number.isFinite(duration) && target.minDurationS !== undefined && duration < target.minDurationS) {
      return { platform, reason: `the clip is ${duration} s; ${platform} needs at least ${target.minDurationS} s` };
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sx-rendition-'));
    try {
      const input = path.join(dir, 'input');
      const output = path.join(dir, `output.${target.container}`);
      await downloadTo(this.storage, asset.contentKey as string, input);
      await transcodeVideo(this.ffmpeg as string, input, output, target, VIDEO_TIMEOUT_MS);
      const { size } = await stat(output);
      if (size > target.maxBytes) return { platform, reason: `the encoded clip is ${size} bytes; ${platform} accepts ${target.maxBytes}` };
      const key = `renditions/${asset.id}/${platform}.${target.container}`;
      const mime = VIDEO_MIME[target.container];
      await this.storage.put(key, createReadStream(output), { contentType: mime, metadata: { asset: asset.id, platform } });
      // The cover comes from the encoded clip, so it has the rendition's crop.
      const cover = target.cover ? await this.cover(asset, platform, target, output, duration, dir) : undefined;
      return { platform, key, mime, bytes: size, ...(cover ? { cover } : {}) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async cover(asset: AssetInfo, platform: string, target: VideoRendition, input: string, durationS: number, dir: string): Promise<StoredObject> {
    const spec = target.cover as NonNullable<VideoRendition['cover']>;
    const atS = Number.isFinite(durationS) ? Math.min(spec.atS, Math.max(0, durationS - 0.1)) : spec.atS;
    const frameFile = path.join(dir, 'cover.png');
    await frameAt(this.ffmpeg as string, input, frameFile, atS, 120_000);
    const out = await encodeImage(await readFile(frameFile), { format: spec.format, maxWidth: spec.maxWidth, maxHeight: spec.maxHeight, maxBytes: spec.maxBytes });
    if (!out) throw new PermanentStageError(`the cover frame of ${asset.filename} cannot fit ${platform}'s ${spec.maxBytes}-byte limit`);
    const key = `renditions/${asset.id}/${platform}-cover.${out.ext}`;
    await this.storage.put(key, Readable.from(out.data), { contentType: out.mime, metadata: { asset: asset.id, platform, role: 'cover' } });
    return { key, mime: out.mime, bytes: out.data.length, width: out.width, height: out.height };
  }
}

function targetPlatforms(ctx: StageContext, asset: AssetInfo): string[] {
  const list = ctx.params.platforms.length ? ctx.params.platforms : asset.platforms;
  return [...new Set(list)];
}
