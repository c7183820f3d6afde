import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, type Clock } from '@sx/service-kit';
import { assertExpiry, assertKey } from '../validation';

export type PresignMethod = 'GET' | 'PUT';

/**
 * HMAC-SHA256 signed URLs for the disk driver: `<base>/<key>?method=&expires=&signature=`.
 * The signature covers method, key and expiry, so none can be changed; expiry is checked
 * against the injected clock.
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

  sign(method: PresignMethod, key: string, expiresInS: number): string {
    assertKey(key);
    assertExpiry(expiresInS);
    const expires = Math.floor(this.clock.nowMs() / 1000) + expiresInS;
    const query = new URLSearchParams({ method, expires: String(expires), signature: this.mac(method, key, expires) });
    return `${this.baseUrl}/${encodeKey(key)}?${query.toString()}`;
  }

  /** Checks a request URL (absolute or path + query) against `method`; returns the object key. */
  verify(method: string, requestUrl: string): string {
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
    const expected = Buffer.from(this.mac(signed, key, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw denied('bad signature');
    if (Math.floor(this.clock.nowMs() / 1000) >= expires) throw denied('expired', 'presign_expired');
    return key;
  }

  private mac(method: string, key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${method}\n${key}\n${expires}`).digest('base64url');
  }
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
