import type { Readable } from 'node:stream';
import type { CheckResult } from '@sx/service-kit';

/** Injection token for the process's one ObjectStorage (provided by the composition root via CoreModule). */
export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');

/** S3's floor for every part but the last; both drivers enforce it. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Our ceiling per part (the S3 driver holds one part in memory while signing it). */
export const MAX_PART_SIZE = 64 * 1024 * 1024;
export const MAX_PARTS = 10_000;
/** Longest presigned URL lifetime (S3's SigV4 limit: 7 days). */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface ObjectInfo {
  key: string;
  /** Size of the whole object in bytes. */
  size: number;
  /** MD5 hex for single uploads; `md5-of-md5s-N` for multipart, as S3 does. */
  etag: string;
  contentType: string;
  lastModified: Date;
  /** User metadata; keys are lower-case. */
  metadata: Record<string, string>;
}

export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface PutOptions {
  contentType?: string;
  metadata?: Record<string, string>;
}

/** Inclusive byte range, as in an HTTP `Range: bytes=start-end` header; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface GetResult {
  /** The bytes requested (the range, or the whole object); the caller must consume or destroy it. */
  stream: Readable;
  info: ObjectInfo;
  /** Present when a range was asked for: the inclusive bounds actually served. */
  range?: { start: number; end: number };
}

export interface PresignOptions {
  expiresInS: number;
}

/** What a disk presigned URL grants: the whole object, or one part of a multipart upload. */
export interface PresignedTarget {
  key: string;
  part?: { uploadId: string; partNumber: number };
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
}

/**
 * Where media bytes live. Every method streams; none holds a whole object in memory.
 * Bad input (key, range, part) throws a coded AppError (4xx); a missing object is `not_found` (404).
 */
export interface ObjectStorage {
  readonly driver: 'disk' | 's3';
  put(key: string, body: Readable, opts?: PutOptions): Promise<ObjectInfo>;
  get(key: string, range?: ByteRange): Promise<GetResult>;
  stat(key: string): Promise<ObjectInfo>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing object succeeds. */
  delete(key: string): Promise<void>;
  /** Objects whose key starts with `prefix`, in ascending key order. */
  list(prefix: string): AsyncIterable<ObjectSummary>;
  presignGet(key: string, opts: PresignOptions): Promise<string>;
  presignPut(key: string, opts: PresignOptions): Promise<string>;
  /**
   * A URL the client PUTs one part's bytes to, for an upload begun with `createMultipartUpload`; the
   * response's `ETag` header is the part's etag for `completeMultipartUpload`. S3: a SigV4 UploadPart URL;
   * disk: an HMAC URL (covering key, upload id and part number) served by the same route as `presignPut`.
   */
  presignUploadPart(key: string, uploadId: string, partNumber: number, opts: PresignOptions): Promise<string>;
  createMultipartUpload(key: string, opts?: PutOptions): Promise<string>;
  uploadPart(key: string, uploadId: string, partNumber: number, body: Readable): Promise<UploadedPart>;
  /** Joins the parts in the order given (ascending part numbers); all but the last >= MIN_PART_SIZE. */
  completeMultipartUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<ObjectInfo>;
  /** Idempotent: aborting an unknown or finished upload succeeds. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  /** Readiness: can we reach and write the store? */
  health(): Promise<CheckResult>;
}
