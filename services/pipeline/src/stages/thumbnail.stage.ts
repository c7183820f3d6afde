import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import type { PipelineStage, StageContext, StageResult } from './pipeline-stage';
import { downloadTo, readAll, requireAsset } from './stage-io';
import { findFfmpeg, posterFrame } from './video-tools';

const WIDTH = 320;

/** A 320 px WebP preview: the image itself, or a poster frame one second into a video. */
@Injectable()
export class ThumbnailStage implements PipelineStage {
  readonly name = 'thumbnail';
  private readonly ffmpeg = findFfmpeg();

  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async run(ctx: StageContext): Promise<StageResult> {
    const asset = requireAsset(ctx);
    if (!asset.contentKey) throw new Error(`${asset.filename} has no stored content yet`);
    let frame: Buffer;
    if (asset.kind === 'image') frame = await readAll(this.storage, asset.contentKey);
    else if (asset.kind === 'video') {
      if (!this.ffmpeg) return { status: 'skipped', reason: 'no ffmpeg available to extract a poster frame' };
      frame = await this.poster(asset.contentKey, Number(ctx.outputs['probe']?.['durationS'] ?? 0));
    } else return { status: 'skipped', reason: `${asset.kind} files have no thumbnail` };
    const out = await sharp(frame).rotate().resize({ width: WIDTH, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
    const key = `thumbnails/${asset.id}/pipeline-${WIDTH}.webp`;
    await this.storage.put(key, Readable.from(out.data), { contentType: 'image/webp' });
    ctx.log(`thumbnail ${out.info.width}x${out.info.height}`);
    return { status: 'succeeded', output: { key, width: out.info.width, height: out.info.height, bytes: out.data.length } };
  }

  private async poster(key: string, durationS: number): Promise<Buffer> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sx-poster-'));
    try {
      const input = path.join(dir, 'input');
      const output = path.join(dir, 'poster.jpg');
      await downloadTo(this.storage, key, input);
      await posterFrame(this.ffmpeg as string, input, output, durationS > 2 ? 1 : 0, 120_000);
      return await readFile(output);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
