import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import { PermanentStageError, type PipelineStage, type StageContext, type StageResult } from './pipeline-stage';
import { readAll, requireAsset } from './stage-io';

/** The asset must exist, be stored and have passed the media service's validation. */
@Injectable()
export class ValidateStage implements PipelineStage {
  readonly name = 'validate';

  async run(ctx: StageContext): Promise<StageResult> {
    const asset = requireAsset(ctx);
    if (asset.status === 'rejected') throw new PermanentStageError(`the media service rejected ${asset.filename}`);
    if (asset.status !== 'ready' || !asset.contentKey) {
      // Still processing: a retry with backoff gives the media service time to finish.
      throw new Error(`${asset.filename} is not ready yet (status ${asset.status})`);
    }
    ctx.log(`${asset.filename}: ${asset.kind}, ${asset.mime}, ${asset.bytes} bytes`);
    return { status: 'succeeded', output: { kind: asset.kind, mime: asset.mime, bytes: asset.bytes } };
  }
}

/**
 * Normalises the metadata later stages need (dimensions, duration, codec). Images whose metadata
 * the media service did not record are measured here with sharp.
 */
@Injectable()
export class ProbeStage implements PipelineStage {
  readonly name = 'probe';

  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async run(ctx: StageContext): Promise<StageResult> {
    const asset = requireAsset(ctx);
    const m = asset.metadata;
    let width = numberOf(m['width']);
    let height = numberOf(m['height']);
    if ((width === undefined || height === undefined) && asset.kind === 'image' && asset.contentKey) {
      const meta = await sharp(await readAll(this.storage, asset.contentKey)).metadata();
      width = meta.autoOrient?.width ?? meta.width;
      height = meta.autoOrient?.height ?? meta.height;
      ctx.log('measured the image with sharp');
    }
    const output = {
      width: width ?? null,
      height: height ?? null,
      durationS: numberOf(m['durationS'] ?? m['duration']) ?? null,
      videoCodec: stringOf(m['videoCodec'] ?? m['codec']) ?? null,
      aspect: width && height ? Number((width / height).toFixed(4)) : null,
    };
    ctx.log(`probe: ${JSON.stringify(output)}`);
    return { status: 'succeeded', output };
  }
}

function numberOf(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
