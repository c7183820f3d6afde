import { randomBytes } from 'node:crypto';
import { constants, readFileSync, writeFileSync } from 'node:fs';
import { access, open, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, systemClock, type CheckResult, type Clock } from '@sx/service-kit';
import type {
  ByteRange,
  GetResult,
  ObjectInfo,
  ObjectStorage,
  ObjectSummary,
  PresignedTarget,
  PresignOptions,
  PutOptions,
  UploadedPart,
} from '../object-storage';
import { assertExpiry, assertKey, assertPartNumber, assertPrefix, contentTypeOrDefault, normaliseMetadata, resolveRange } from '../validation';
import { DiskLayout, mapConflict, writeHashed, type Sidecar } from './disk-layout';
import { listObjects } from './disk-list';
import { DiskMultipart } from './disk-multipart';
import { PresignSigner } from './presign-signer';

export interface DiskObjectStorageOptions {
  root: string;
  /** Where the media HTTP route serves presigned URLs, e.g. `https://host/storage/objects`. */
  presignBaseUrl: string;
  clock?: Clock;
  /** HMAC key for presigned URLs; by default one is generated once and kept in `<root>/signing.key`. */
  signingKey?: Buffer;
}

/** Local-disk ObjectStorage for the embedded single-machine mode. */
export class DiskObjectStorage implements ObjectStorage {
  readonly driver = 'disk' as const;
  private readonly multipart: DiskMultipart;

  private constructor(
    private readonly layout: DiskLayout,
    private readonly signer: PresignSigner,
  ) {
    this.multipart = new DiskMultipart(layout);
  }

  static async open(opts: DiskObjectStorageOptions): Promise<DiskObjectStorage> {
    return DiskObjectStorage.openSync(opts);
  }

  /** Synchronous variant for composition roots that build infrastructure synchronously at boot. */
  static openSync(opts: DiskObjectStorageOptions): DiskObjectStorage {
    const layout = new DiskLayout(path.resolve(opts.root));
    layout.ensure();
    const secret = opts.signingKey ?? loadOrCreateKey(path.join(layout.root, 'signing.key'));
    return new DiskObjectStorage(layout, new PresignSigner(secret, opts.presignBaseUrl, opts.clock ?? systemClock));
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<ObjectInfo> {
    assertKey(key);
    const contentType = contentTypeOrDefault(opts.contentType);
    const metadata = normaliseMetadata(opts.metadata);
    const tmp = this.layout.tmpPath();
    const { md5 } = await writeHashed(body, tmp);
    await this.layout.commit(key, tmp, { contentType, metadata, etag: md5.toString('hex') });
    return this.stat(key);
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    assertKey(key);
    // Open first, then stat the open file: a concurrent overwrite cannot mix two versions.
    const fh = await open(this.layout.objectPath(key), 'r').catch((e: NodeJS.ErrnoException) => {
      throw isMissing(e) ? AppError.notFound('object', key) : e;
    });
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw AppError.notFound('object', key);
      const sidecar = await this.sidecarOrThrow(key);
      const info = toInfo(key, st.size, st.mtime, sidecar);
      const served = range ? resolveRange(range, st.size) : undefined;
      const stream = fh.createReadStream(served ? { start: served.start, end: served.end } : {});
      return { stream, info, range: served };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async stat(key: string): Promise<ObjectInfo> {
    assertKey(key);
    const fh = await open(this.layout.objectPath(key), 'r').catch((e: NodeJS.ErrnoException) => {
      throw isMissing(e) ? AppError.notFound('object', key) : e;
    });
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw AppError.notFound('object', key);
      return toInfo(key, st.size, st.mtime, await this.sidecarOrThrow(key));
    } finally {
      await fh.close();
    }
  }

  async exists(key: string): Promise<boolean> {
    return this.stat(key).then(
      () => true,
      (e: unknown) => {
        if (e instanceof AppError && e.code === 'not_found') return false;
        throw e;
      },
    );
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await rm(this.layout.objectPath(key), { force: true }).catch((e: unknown) => {
      throw mapConflict(e, key);
    });
    await rm(this.layout.metaPath(key), { force: true });
  }

  list(prefix: string): AsyncIterable<ObjectSummary> {
    assertPrefix(prefix);
    return listObjects(this.layout, prefix);
  }

  async presignGet(key: string, opts: PresignOptions): Promise<string> {
    return this.signer.sign('GET', key, opts.expiresInS);
  }

  async presignPut(key: string, opts: PresignOptions): Promise<string> {
    return this.signer.sign('PUT', key, opts.expiresInS);
  }

  /** Signs a part URL only for an open upload of this key (404 `upload_not_found` otherwise). */
  async presignUploadPart(key: string, uploadId: string, partNumber: number, opts: PresignOptions): Promise<string> {
    assertKey(key);
    assertPartNumber(partNumber);
    assertExpiry(opts.expiresInS);
    await this.multipart.assertOpen(key, uploadId);
    return this.signer.sign('PUT', key, opts.expiresInS, { uploadId, partNumber });
  }

  /** For the HTTP route that serves presigned URLs: checks method, signature and expiry; returns the key. */
  verifyPresigned(method: string, requestUrl: string): string {
    return this.signer.verify(method, requestUrl);
  }

  /** Like `verifyPresigned`, but also accepts part URLs and says which part they upload. */
  verifyPresignedTarget(method: string, requestUrl: string): PresignedTarget {
    return this.signer.verifyTarget(method, requestUrl);
  }

  async createMultipartUpload(key: string, opts?: PutOptions): Promise<string> {
    assertKey(key);
    return this.multipart.create(key, opts);
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Readable): Promise<UploadedPart> {
    assertKey(key);
    return this.multipart.uploadPart(key, uploadId, partNumber, body);
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<ObjectInfo> {
    assertKey(key);
    const { tmp, sidecar } = await this.multipart.complete(key, uploadId, parts);
    await this.layout.commit(key, tmp, sidecar);
    await this.multipart.remove(uploadId);
    return this.stat(key);
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    assertKey(key);
    await this.multipart.abort(key, uploadId);
  }

  async health(): Promise<CheckResult> {
    try {
      await access(this.layout.objectsDir, constants.W_OK);
      await access(this.layout.tmpDir, constants.W_OK);
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: `storage root not writable: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  }

  private async sidecarOrThrow(key: string): Promise<Sidecar> {
    const sidecar = await this.layout.readSidecar(key);
    if (!sidecar) throw AppError.notFound('object', key);
    return sidecar;
  }
}

function toInfo(key: string, size: number, mtime: Date, sidecar: Sidecar): ObjectInfo {
  return { key, size, etag: sidecar.etag, contentType: sidecar.contentType, lastModified: mtime, metadata: sidecar.metadata };
}

function isMissing(e: NodeJS.ErrnoException): boolean {
  return e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'EISDIR';
}

function loadOrCreateKey(file: string): Buffer {
  const fresh = randomBytes(32);
  try {
    writeFileSync(file, fresh, { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const existing = readFileSync(file);
    if (existing.length < 32) throw new Error(`${file} is not a valid signing key (expected 32 bytes)`);
    return existing;
  }
}
