import type { StorageConfig } from '@sx/config';
import { AppError, type Clock } from '@sx/service-kit';
import { DiskObjectStorage } from './disk/disk-object-storage';
import type { ObjectStorage, PresignedTarget } from './object-storage';
import { S3ObjectStorage } from './s3/s3-object-storage';

export interface CreateObjectStorageOptions {
  clock?: Clock;
  /** Disk driver only: the URL prefix the media HTTP route serves presigned URLs under. */
  presignBaseUrl?: string;
}

/** Same-origin path the disk driver's presigned URLs point at unless the composition root says otherwise. */
export const DEFAULT_PRESIGN_BASE_URL = '/storage/objects';

/**
 * Builds the configured driver (`SX_STORAGE=disk|s3`); the composition root provides it as
 * OBJECT_STORAGE. Synchronous: the disk driver prepares its folders at once, the S3 driver creates
 * a missing bucket on its first write (and `health()` reports a missing bucket).
 */
export function createObjectStorage(config: StorageConfig, opts: CreateObjectStorageOptions = {}): ObjectStorage {
  if (config.driver === 'disk') {
    return DiskObjectStorage.openSync({
      root: config.root,
      presignBaseUrl: opts.presignBaseUrl ?? DEFAULT_PRESIGN_BASE_URL,
      clock: opts.clock,
    });
  }
  return S3ObjectStorage.create(config);
}

/**
 * For the HTTP route serving disk presigned URLs: checks method, signature and expiry and returns
 * the object key, or throws 403 (`presign_invalid` / `presign_expired`). S3 serves its own URLs.
 */
export function verifyPresigned(storage: ObjectStorage, method: string, requestUrl: string): string {
  if (!(storage instanceof DiskObjectStorage)) {
    throw new AppError('presign_unsupported', 'presigned URLs of this storage are served by S3 itself', 400);
  }
  return storage.verifyPresigned(method, requestUrl);
}

/**
 * Like `verifyPresigned`, for routes that also accept multipart part URLs: returns the key and, for a
 * part URL, the upload id and part number to pass to `uploadPart`.
 */
export function verifyPresignedTarget(storage: ObjectStorage, method: string, requestUrl: string): PresignedTarget {
  if (!(storage instanceof DiskObjectStorage)) {
    throw new AppError('presign_unsupported', 'presigned URLs of this storage are served by S3 itself', 400);
  }
  return storage.verifyPresignedTarget(method, requestUrl);
}
