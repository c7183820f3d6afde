import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { AppError, type CheckResult } from '@sx/service-kit';
import {
  MAX_PART_SIZE,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type ObjectStorage,
  type ObjectSummary,
  type PresignOptions,
  type PutOptions,
  type UploadedPart,
} from '../object-storage';
import {
  assertExpiry,
  assertKey,
  assertPartList,
  assertPartNumber,
  assertPrefix,
  contentTypeOrDefault,
  normaliseMetadata,
  partTooLarge,
  resolveRange,
  userMetadataFrom,
} from '../validation';
import { fixedChunks, readAtMost } from './fixed-chunks';
import { mapS3Error, s3Code } from './s3-errors';

export interface S3ObjectStorageOptions {
  endpoint: string;
  region: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
}

/** Size of the parts `put()` cuts a stream into when it is too big for one PUT. */
export const PUT_PART_SIZE = 8 * 1024 * 1024;
const UPLOAD_ID = /^[A-Za-z0-9._~-]{1,1024}$/;

/**
 * ObjectStorage on an S3-compatible server (MinIO, AWS) through the minio client, path-style.
 * Multipart uploads use the explicit initiate / uploadPart / complete / abort calls, so the client's
 * ListMultipartUploads lookup (which many S3 stand-ins lack) is never sent.
 */
export class S3ObjectStorage implements ObjectStorage {
  readonly driver = 's3' as const;

  private bucketReady: Promise<void> | undefined;

  private constructor(
    private readonly client: Client,
    private readonly bucket: string,
    private readonly region: string,
  ) {}

  /** Connects and creates the bucket now when it does not exist yet. */
  static async connect(opts: S3ObjectStorageOptions): Promise<S3ObjectStorage> {
    const storage = S3ObjectStorage.create(opts);
    await storage.ensureBucket();
    return storage;
  }

  /** No network yet: the bucket is created (if missing) before the first write. */
  static create(opts: S3ObjectStorageOptions): S3ObjectStorage {
    const url = new URL(opts.endpoint);
    const useSSL = url.protocol === 'https:';
    const client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: opts.accessKey,
      secretKey: opts.secretKey,
      region: opts.region,
      pathStyle: true,
    });
    return new S3ObjectStorage(client, opts.bucket, opts.region);
  }

  /** Creates the bucket once if missing; a failure is not cached, so the next write retries. */
  ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket, this.region);
    })().catch((e: unknown) => {
      this.bucketReady = undefined;
      throw mapS3Error(e, this.bucket);
    });
    return this.bucketReady;
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<ObjectInfo> {
    assertKey(key);
    const headers = this.headers(opts);
    await this.ensureBucket();
    const chunks = fixedChunks(body, PUT_PART_SIZE);
    const first = await chunks.next();
    const firstChunk = first.done ? Buffer.alloc(0) : first.value;
    const second = first.done ? first : await chunks.next();
    try {
      if (second.done) {
        await this.client.putObject(this.bucket, key, firstChunk, firstChunk.length, headers);
      } else {
        await this.putMultipart(key, headers, [firstChunk, second.value], chunks);
      }
    } catch (e) {
      body.destroy();
      throw mapS3Error(e, key);
    }
    return this.stat(key);
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    const info = await this.stat(key);
    const served = range ? resolveRange(range, info.size) : undefined;
    try {
      const stream = served
        ? await this.client.getPartialObject(this.bucket, key, served.start, served.end - served.start + 1)
        : await this.client.getObject(this.bucket, key);
      return { stream, info, range: served };
    } catch (e) {
      throw mapS3Error(e, key);
    }
  }

  async stat(key: string): Promise<ObjectInfo> {
    assertKey(key);
    try {
      const st = await this.client.statObject(this.bucket, key);
      const reported = st.metaData as Record<string, unknown>;
      const contentType = reported['content-type'];
      return {
        key,
        size: st.size,
        etag: st.etag,
        contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream',
        lastModified: st.lastModified,
        metadata: userMetadataFrom(reported),
      };
    } catch (e) {
      throw mapS3Error(e, key);
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
    await this.client.removeObject(this.bucket, key).catch((e: unknown) => {
      if (s3Code(e) !== 'NoSuchKey') throw mapS3Error(e, key);
    });
  }

  list(prefix: string): AsyncIterable<ObjectSummary> {
    assertPrefix(prefix);
    return this.listAll(prefix);
  }

  async presignGet(key: string, opts: PresignOptions): Promise<string> {
    assertKey(key);
    assertExpiry(opts.expiresInS);
    return this.client.presignedGetObject(this.bucket, key, opts.expiresInS);
  }

  async presignPut(key: string, opts: PresignOptions): Promise<string> {
    assertKey(key);
    assertExpiry(opts.expiresInS);
    await this.ensureBucket();
    return this.client.presignedPutObject(this.bucket, key, opts.expiresInS);
  }

  /** A SigV4 UploadPart URL (`?partNumber=&uploadId=`); S3 answers the PUT with the part's ETag. */
  async presignUploadPart(key: string, uploadId: string, partNumber: number, opts: PresignOptions): Promise<string> {
    assertKey(key);
    assertPartNumber(partNumber);
    assertExpiry(opts.expiresInS);
    this.assertUploadId(key, uploadId);
    return this.client
      .presignedUrl('PUT', this.bucket, key, opts.expiresInS, { partNumber: String(partNumber), uploadId })
      .catch((e: unknown) => {
        throw mapS3Error(e, key);
      });
  }

  async createMultipartUpload(key: string, opts: PutOptions = {}): Promise<string> {
    assertKey(key);
    const headers = this.headers(opts);
    await this.ensureBucket();
    return this.client.initiateNewMultipartUpload(this.bucket, key, headers).catch((e: unknown) => {
      throw mapS3Error(e, key);
    });
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Readable): Promise<UploadedPart> {
    assertKey(key);
    assertPartNumber(partNumber);
    this.assertUploadId(key, uploadId);
    // minio signs a part from memory; MAX_PART_SIZE bounds that buffer.
    const payload = await readAtMost(body, MAX_PART_SIZE, partTooLarge);
    return this.sendPart(key, uploadId, partNumber, payload);
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<ObjectInfo> {
    assertKey(key);
    this.assertUploadId(key, uploadId);
    assertPartList(parts);
    const etags = parts.map((p) => ({ part: p.partNumber, etag: p.etag }));
    await this.client.completeMultipartUpload(this.bucket, key, uploadId, etags).catch((e: unknown) => {
      throw mapS3Error(e, key);
    });
    return this.stat(key);
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    assertKey(key);
    if (!UPLOAD_ID.test(uploadId)) return;
    await this.client.abortMultipartUpload(this.bucket, key, uploadId).catch((e: unknown) => {
      if (s3Code(e) !== 'NoSuchUpload') throw mapS3Error(e, key);
    });
  }

  async health(): Promise<CheckResult> {
    try {
      const found = await this.client.bucketExists(this.bucket);
      return found ? { ok: true } : { ok: false, detail: `bucket ${this.bucket} does not exist` };
    } catch (e) {
      return { ok: false, detail: `object storage unreachable (${s3Code(e) ?? 'network error'})` };
    }
  }

  private async putMultipart(
    key: string,
    headers: Record<string, string>,
    firstParts: Buffer[],
    rest: AsyncGenerator<Buffer>,
  ): Promise<void> {
    const uploadId = await this.client.initiateNewMultipartUpload(this.bucket, key, headers);
    try {
      const parts: UploadedPart[] = [];
      for (const chunk of firstParts) parts.push(await this.sendPart(key, uploadId, parts.length + 1, chunk));
      for await (const chunk of rest) parts.push(await this.sendPart(key, uploadId, parts.length + 1, chunk));
      await this.client.completeMultipartUpload(
        this.bucket,
        key,
        uploadId,
        parts.map((p) => ({ part: p.partNumber, etag: p.etag })),
      );
    } catch (e) {
      await this.abortMultipartUpload(key, uploadId).catch(() => undefined);
      throw e;
    }
  }

  private async sendPart(key: string, uploadId: string, partNumber: number, payload: Buffer): Promise<UploadedPart> {
    try {
      const res = await this.client.uploadPart(
        { bucketName: this.bucket, objectName: key, uploadID: uploadId, partNumber, headers: {} },
        payload,
      );
      return { partNumber, etag: res.etag };
    } catch (e) {
      throw mapS3Error(e, key);
    }
  }

  private async *listAll(prefix: string): AsyncIterable<ObjectSummary> {
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
        const entry = item as { name?: string; size: number; etag: string; lastModified: Date };
        if (!entry.name) continue;
        yield { key: entry.name, size: entry.size, etag: entry.etag, lastModified: entry.lastModified };
      }
    } catch (e) {
      throw mapS3Error(e, prefix);
    }
  }

  private headers(opts: PutOptions): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': contentTypeOrDefault(opts.contentType) };
    for (const [k, v] of Object.entries(normaliseMetadata(opts.metadata))) headers[`X-Amz-Meta-${k}`] = v;
    return headers;
  }

  private assertUploadId(key: string, uploadId: string): void {
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) {
      throw new AppError('upload_not_found', `multipart upload for ${key} was not found`, 404);
    }
  }
}
