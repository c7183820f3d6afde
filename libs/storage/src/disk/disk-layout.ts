import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@sx/service-kit';

/** What the sidecar next to each object records (size and mtime come from the data file). */
export interface Sidecar {
  contentType: string;
  metadata: Record<string, string>;
  etag: string;
}

/**
 * On-disk layout under the storage root:
 *   objects/<key>   the bytes        meta/<key>   JSON sidecar (same relative path)
 *   tmp/            temp files, renamed into place on the same filesystem
 *   uploads/<id>/   multipart uploads in progress
 * Keys are validated (no `..`, no empty segment) before they reach these functions.
 */
export class DiskLayout {
  readonly objectsDir: string;
  readonly metaDir: string;
  readonly tmpDir: string;
  readonly uploadsDir: string;

  constructor(readonly root: string) {
    this.objectsDir = path.join(root, 'objects');
    this.metaDir = path.join(root, 'meta');
    this.tmpDir = path.join(root, 'tmp');
    this.uploadsDir = path.join(root, 'uploads');
  }

  /** Creates the folders; synchronous because it runs once, at boot. */
  ensure(): void {
    for (const dir of [this.objectsDir, this.metaDir, this.tmpDir, this.uploadsDir]) {
      mkdirSync(dir, { recursive: true });
    }
  }

  objectPath(key: string): string {
    return path.join(this.objectsDir, ...key.split('/'));
  }

  metaPath(key: string): string {
    return path.join(this.metaDir, ...key.split('/'));
  }

  tmpPath(): string {
    return path.join(this.tmpDir, randomUUID());
  }

  async readSidecar(key: string): Promise<Sidecar | undefined> {
    const raw = await readFile(this.metaPath(key), 'utf8').catch(() => undefined);
    return raw === undefined ? undefined : (JSON.parse(raw) as Sidecar);
  }

  /**
   * Moves a fully written temp file into place: sidecar first, then the data, each by rename,
   * so a reader never sees a half-written object.
   */
  async commit(key: string, tmpData: string, sidecar: Sidecar): Promise<void> {
    const tmpMeta = this.tmpPath();
    try {
      await writeFile(tmpMeta, JSON.stringify(sidecar), { flag: 'wx' });
      await mkdir(path.dirname(this.metaPath(key)), { recursive: true });
      await mkdir(path.dirname(this.objectPath(key)), { recursive: true });
      await rename(tmpMeta, this.metaPath(key));
      await rename(tmpData, this.objectPath(key));
    } catch (e) {
      await rm(tmpMeta, { force: true });
      await rm(tmpData, { force: true });
      throw mapConflict(e, key);
    }
  }
}

/** Streams `body` to a new file at `target`, returning its size and MD5; fsyncs before returning. */
export async function writeHashed(
  body: Readable,
  target: string,
  maxBytes = Number.POSITIVE_INFINITY,
  tooLarge?: () => Error,
): Promise<{ size: number; md5: Buffer }> {
  const hash = createHash('md5');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) {
        cb(tooLarge?.() ?? new Error('too large'));
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(target, { flags: 'wx' }));
    const fh = await open(target, 'r+');
    await fh.sync().finally(() => fh.close());
  } catch (e) {
    await rm(target, { force: true });
    throw e;
  }
  return { size, md5: hash.digest() };
}

/** A key that collides with a "directory" of other keys (`a` vs `a/b`) cannot exist on disk. */
export function mapConflict(e: unknown, key: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    return new AppError('key_conflict', `object key ${key} clashes with an existing key prefix on disk`, 409);
  }
  return e;
}
