import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ObjectStorage } from '@sx/storage';
import type { AssetInfo } from '../media/media-port';
import { PermanentStageError, type StageContext } from './pipeline-stage';

/** Images are small enough to decode in memory; the cap guards against a mislabelled huge object. */
const MAX_IN_MEMORY_BYTES = 200 * 1024 * 1024;

export function requireAsset(ctx: StageContext): AssetInfo {
  if (!ctx.asset) throw new PermanentStageError(`stage needs an asset, but run ${ctx.runId} has none`);
  return ctx.asset;
}

export async function readAll(storage: ObjectStorage, key: string): Promise<Buffer> {
  const { stream, info } = await storage.get(key);
  if (info.size > MAX_IN_MEMORY_BYTES) {
    stream.destroy();
    throw new PermanentStageError(`object ${key} is ${info.size} bytes, too large to process in memory`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Streams an object to a local file (video tools need a seekable file). */
export async function downloadTo(storage: ObjectStorage, key: string, file: string): Promise<void> {
  const { stream } = await storage.get(key);
  await pipeline(stream, createWriteStream(file));
}
