import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@sx/service-kit';

export interface SpooledFile {
  path: string;
  bytes: number;
  sha256: string;
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('file_too_large', `The file is larger than the ${maxBytes}-byte limit`, 413, { maxBytes });
}

/**
 * Streams `source` to a temp file under `dir` while hashing it, never holding the file in memory.
 * Aborts with a 413 as soon as more than `maxBytes` arrive, and removes the partial file.
 */
export async function spoolToFile(source: Readable, dir: string, maxBytes: number): Promise<SpooledFile> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) return cb(tooLarge(maxBytes));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(file));
  } catch (e) {
    await rm(file, { force: true });
    if (e instanceof AppError) throw e;
    throw new AppError('upload_interrupted', 'The upload stream ended before the file was complete', 400);
  }
  return { path: file, bytes, sha256: hash.digest('hex') };
}

/** SHA-256 of a file already on disk (tus uploads, watch folder), streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
