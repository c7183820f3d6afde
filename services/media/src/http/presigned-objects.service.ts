import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { verifyPresigned, verifyPresignedTarget, type ObjectStorage, type PresignedTarget } from '@sx/storage';
import { AppError } from '@sx/service-kit';
import { tooLarge } from '../ingest/spool';
import { parseRange } from './byte-range';

/** Where the disk driver's presigned URLs point (`DEFAULT_PRESIGN_BASE_URL` of @sx/storage). */
export const PRESIGNED_OBJECTS_PATH = 'storage/objects';

/**
 * Serves the disk driver's presigned URLs (S3 serves its own): GET/HEAD with ranges, and PUT for direct
 * uploads (a whole object, or one part of a multipart upload), size-capped. The signature (method + key + expiry, HMAC) is the only credential, so these
 * routes take no session; an invalid or expired URL is a 403.
 */
export class PresignedObjectsService {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly maxBytes: number,
  ) {}

  async get(req: Request, res: Response): Promise<void> {
    const key = this.verify('GET', req);
    const info = await this.storage.stat(key);
    const range = parseRange(req.headers.range, info.size);
    res.setHeader('Content-Type', info.contentType);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('ETag', `"${info.etag}"`);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (range) {
      res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.status(200).setHeader('Content-Length', String(info.size));
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline((await this.storage.get(key, range)).stream, res);
  }

  async put(req: Request, res: Response): Promise<void> {
    const { key, part } = this.verifyTarget(req);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) throw tooLarge(this.maxBytes);
    let seen = 0;
    const max = this.maxBytes;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        cb(seen > max ? tooLarge(max) : null, chunk);
      },
    });
    req.pipe(cap);
    req.on('error', (e) => cap.destroy(e));
    const etag = part
      ? (await this.storage.uploadPart(key, part.uploadId, part.partNumber, cap)).etag
      : (await this.storage.put(key, cap, { contentType: 'application/octet-stream' })).etag;
    res.status(200).setHeader('ETag', `"${etag}"`).end();
  }

  private verifyTarget(req: Request): PresignedTarget {
    if (this.storage.driver !== 'disk') throw new AppError('not_found', 'Not found', 404);
    return verifyPresignedTarget(this.storage, 'PUT', req.originalUrl);
  }

  private verify(method: 'GET' | 'PUT', req: Request): string {
    if (this.storage.driver !== 'disk') throw new AppError('not_found', 'Not found', 404);
    return verifyPresigned(this.storage, method, req.originalUrl);
  }
}
