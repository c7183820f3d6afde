import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ObjectStorage } from '@sx/storage';
import { AppError } from '@sx/service-kit';
import type { AssetStore } from '../ports';

/**
 * AssetStore over @sx/storage: streams files in, ranges out. Presigned GETs only in S3 mode (on disk the
 * media routes stream themselves); presigned PUTs in both (disk ones are served by PresignedObjectsController).
 */
export class ObjectStorageAssetStore implements AssetStore {
  constructor(private readonly storage: ObjectStorage) {}

  async putFile(key: string, file: string, contentType: string): Promise<void> {
    await this.storage.put(key, createReadStream(file), { contentType });
  }

  async putBuffer(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.storage.put(key, Readable.from([body]), { contentType });
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return (await this.storage.get(key, range)).stream;
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    try {
      return { bytes: (await this.storage.stat(key)).size };
    } catch (e) {
      if (e instanceof AppError && e.status === 404) return null;
      throw e;
    }
  }

  delete(key: string): Promise<void> {
    return this.storage.delete(key);
  }

  async presignGet(key: string, ttlS: number): Promise<string | undefined> {
    return this.storage.driver === 's3' ? this.storage.presignGet(key, { expiresInS: ttlS }) : undefined;
  }

  /** S3: straight to the bucket; disk: to /storage/objects (PresignedObjectsController), same flow. */
  presignPut(key: string, ttlS: number): Promise<string | undefined> {
    return this.storage.presignPut(key, { expiresInS: ttlS });
  }

  createMultipart(key: string): Promise<string> {
    return this.storage.createMultipartUpload(key, { contentType: 'application/octet-stream' });
  }

  presignPart(key: string, multipartId: string, partNumber: number, ttlS: number): Promise<string> {
    return this.storage.presignUploadPart(key, multipartId, partNumber, { expiresInS: ttlS });
  }

  async completeMultipart(key: string, multipartId: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
    await this.storage.completeMultipartUpload(key, multipartId, parts);
  }

  abortMultipart(key: string, multipartId: string): Promise<void> {
    return this.storage.abortMultipartUpload(key, multipartId);
  }
}
