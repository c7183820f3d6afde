import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@sx/service-kit';
import { MAX_PART_SIZE, MIN_PART_SIZE, type PutOptions, type UploadedPart } from '../object-storage';
import { assertPartList, assertPartNumber, contentTypeOrDefault, normaliseMetadata, partTooLarge } from '../validation';
import { writeHashed, type DiskLayout, type Sidecar } from './disk-layout';

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface UploadManifest {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
}

/** Multipart uploads on disk: each part is its own file in `uploads/<id>/`, joined in order on completion. */
export class DiskMultipart {
  constructor(private readonly layout: DiskLayout) {}

  async create(key: string, opts: PutOptions = {}): Promise<string> {
    const manifest: UploadManifest = {
      key,
      contentType: contentTypeOrDefault(opts.contentType),
      metadata: normaliseMetadata(opts.metadata),
    };
    const uploadId = randomUUID();
    const dir = this.dir(uploadId);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'upload.json'), JSON.stringify(manifest), { flag: 'wx' });
    return uploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Readable): Promise<UploadedPart> {
    assertPartNumber(partNumber);
    await this.manifest(key, uploadId);
    const dir = this.dir(uploadId);
    const tmp = path.join(dir, `.incoming-${randomUUID()}`);
    const { md5 } = await writeHashed(body, tmp, MAX_PART_SIZE, partTooLarge);
    const etag = md5.toString('hex');
    // The etag is in the file name, so a re-uploaded part replaces the old one atomically.
    await rename(tmp, path.join(dir, partFile(partNumber, etag)));
    for (const name of await readdir(dir)) {
      if (name.startsWith(`part-${partNumber}-`) && name !== partFile(partNumber, etag)) {
        await rm(path.join(dir, name), { force: true });
      }
    }
    return { partNumber, etag };
  }

  /** Returns the joined temp file and its sidecar; the caller commits it under the key. */
  async complete(key: string, uploadId: string, parts: UploadedPart[]): Promise<{ tmp: string; sidecar: Sidecar }> {
    assertPartList(parts);
    const manifest = await this.manifest(key, uploadId);
    const dir = this.dir(uploadId);
    const files: string[] = [];
    for (const [i, part] of parts.entries()) {
      const file = path.join(dir, partFile(part.partNumber, unquote(part.etag)));
      const st = await stat(file).catch(() => undefined);
      if (!st) throw new AppError('invalid_part', `part ${part.partNumber} with that etag was not uploaded`, 400);
      if (i < parts.length - 1 && st.size < MIN_PART_SIZE) {
        throw new AppError('part_too_small', `part ${part.partNumber} is under ${MIN_PART_SIZE} bytes`, 400);
      }
      files.push(file);
    }
    const tmp = this.layout.tmpPath();
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      for (const file of files) await pipeline(createReadStream(file), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      const fh = await open(tmp, 'r+');
      await fh.sync().finally(() => fh.close());
    } catch (e) {
      out.destroy();
      await rm(tmp, { force: true });
      throw e;
    }
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(unquote(p.etag), 'hex')));
    const etag = `${createHash('md5').update(md5s).digest('hex')}-${parts.length}`;
    return { tmp, sidecar: { contentType: manifest.contentType, metadata: manifest.metadata, etag } };
  }

  /** Throws 404 `upload_not_found` unless `uploadId` is an open upload of `key`. */
  async assertOpen(key: string, uploadId: string): Promise<void> {
    await this.manifest(key, uploadId);
  }

  /** Aborts `uploadId` if it is an upload of `key`; an unknown upload, or another key's, is left alone. */
  async abort(key: string, uploadId: string): Promise<void> {
    const open = await this.manifest(key, uploadId).then(
      () => true,
      (e: unknown) => {
        if (e instanceof AppError && e.code === 'upload_not_found') return false;
        throw e;
      },
    );
    if (open) await this.remove(uploadId);
  }

  async remove(uploadId: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) return;
    await rm(this.dir(uploadId), { recursive: true, force: true });
  }

  private dir(uploadId: string): string {
    return path.join(this.layout.uploadsDir, uploadId);
  }

  private async manifest(key: string, uploadId: string): Promise<UploadManifest> {
    const notFound = new AppError('upload_not_found', `multipart upload ${uploadId} was not found`, 404);
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) throw notFound;
    const raw = await readFile(path.join(this.dir(uploadId), 'upload.json'), 'utf8').catch(() => undefined);
    if (raw === undefined) throw notFound;
    const manifest = JSON.parse(raw) as UploadManifest;
    if (manifest.key !== key) throw notFound;
    return manifest;
  }
}

function partFile(partNumber: number, etag: string): string {
  if (!/^[0-9a-f]{32}$/.test(etag)) throw new AppError('invalid_part', `part ${partNumber} has a malformed etag`, 400);
  return `part-${partNumber}-${etag}`;
}

function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}
