import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, type Clock } from '@sx/service-kit';
import type { PresignedTarget } from '../object-storage';
import { assertExpiry, assertKey, assertPartNumber } from '../validation';

export type PresignMethod = 'GET' | 'PUT';

/**
 * HMAC-SHA256 signed URLs for the disk driver: `<base>/<key>?method=&expires=&signature=`.
 * The signature covers method, key and expiry (and, for a multipart part, the upload id and part
 * number), so none can be changed or stripped; expiry is checked against the injected clock.
 */
export class PresignSigner {
  private readonly basePath: string;

  constructor(
    private readonly secret: Buffer,
    private readonly baseUrl: string,
    private readonly clock: Clock,
  ) {
    if (secret.length < 32) throw new Error('presign secret must be at least 32 bytes');
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.basePath = new URL(this.baseUrl, 'http://base.invalid').pathname;
  }

  sign(method: PresignMethod, key: string, expiresInS: number, part?: PresignedTarget['part']): string {
    assertKey(key);
    assertExpiry(expiresInS);
    if (part) assertPartNumber(part.partNumber);
    const expires = Math.floor(this.clock.nowMs() / 1000) + expiresInS;
    const query = new URLSearchParams({ method, expires: String(expires) });
    if (part) {
      query.set('uploadId', part.uploadId);
      query.set('partNumber', String(part.partNumber));
    }
    query.set('signature', this.mac(method, key, expires, part));
    return `${this.baseUrl}/${encodeKey(key)}?${query.toString()}`;
  }

  /** Checks a whole-object URL against `method`; returns the key. A part URL is refused here. */
  verify(method: string, requestUrl: string): string {
    const target = this.verifyTarget(method, requestUrl);
    if (target.part) throw new AppError('presign_invalid', 'presigned URL rejected: this URL uploads one part', 403);
    return target.key;
  }

  /** Checks a request URL (absolute or path + query) against `method`; returns the key and, for a part URL, the part. */
  verifyTarget(method: string, requestUrl: string): PresignedTarget {
    const denied = (why: string, code = 'presign_invalid'): AppError =>
      new AppError(code, `presigned URL rejected: ${why}`, 403);
    let url: URL;
    try {
      url = new URL(requestUrl, 'http://base.invalid');
    } catch {
      throw denied('malformed URL');
    }
    const prefix = `${this.basePath}/`;
    if (!url.pathname.startsWith(prefix)) throw denied('wrong path');
    let key: string;
    try {
      key = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
      assertKey(key);
    } catch {
      throw denied('bad key');
    }
    const signed = url.searchParams.get('method');
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    if (signed !== method.toUpperCase() || (signed !== 'GET' && signed !== 'PUT')) throw denied('wrong method');
    if (!Number.isInteger(expires)) throw denied('no expiry');
    const part = partOf(url.searchParams);
    if (part === null || (part && signed !== 'PUT')) throw denied('bad part');
    const expected = Buffer.from(this.mac(signed, key, expires, part));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw denied('bad signature');
    if (Math.floor(this.clock.nowMs() / 1000) >= expires) throw denied('expired', 'presign_expired');
    return part ? { key, part } : { key };
  }

  private mac(method: string, key: string, expires: number, part?: PresignedTarget['part']): string {
    const scope = part ? `\n${part.uploadId}\n${part.partNumber}` : '';
    return createHmac('sha256', this.secret).update(`${method}\n${key}\n${expires}${scope}`).digest('base64url');
  }
}

/** The part a URL names; undefined for a whole-object URL, null when the part fields are malformed. */
function partOf(params: URLSearchParams): PresignedTarget['part'] | null {
  const uploadId = params.get('uploadId');
  const partNumber = params.get('partNumber');
  if (uploadId === null && partNumber === null) return undefined;
  if (!uploadId || !partNumber || !/^[1-9][0-9]{0,4}$/.test(partNumber) || /[\n\r]/.test(uploadId)) return null;
  return { uploadId, partNumber: Number(partNumber) };
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
