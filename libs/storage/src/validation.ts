import { AppError } from '@sx/service-kit';
import { MAX_PART_SIZE, MAX_PARTS, MAX_PRESIGN_SECONDS, type ByteRange, type UploadedPart } from './object-storage';

const SEGMENT = /^[A-Za-z0-9._\-=+@,~!()]+$/;
const META_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const META_VALUE = /^[\x20-\x7e]{0,1024}$/;
/** Header names S3 clients report beside user metadata; a user key may not take one of them. */
const RESERVED_META = new Set([
  'content-type',
  'cache-control',
  'content-encoding',
  'content-disposition',
  'content-language',
  'if-none-match',
  'if-match',
]);
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9-]+=("[^"]*"|[^;"\s]+))*$/i;

/**
 * Keys are `/`-separated segments of safe characters; no empty, `.` or `..` segment, no leading
 * slash, so a key can never leave the storage root on disk and means the same thing on S3.
 */
export function assertKey(key: string): void {
  const bad = (why: string): AppError => new AppError('invalid_object_key', `invalid object key: ${why}`, 400);
  if (typeof key !== 'string' || key.length === 0) throw bad('empty');
  if (Buffer.byteLength(key) > 1024) throw bad('longer than 1024 bytes');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw bad('empty, "." or ".." segment');
    if (!SEGMENT.test(segment)) throw bad('only letters, digits and . _ - = + @ , ~ ! ( ) are allowed');
  }
}

/** A list prefix: like a key, but may be empty or end with `/`. */
export function assertPrefix(prefix: string): void {
  if (prefix === '') return;
  assertKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

export function normaliseMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) {
    const key = k.toLowerCase();
    if (!META_KEY.test(key) || RESERVED_META.has(key) || key.startsWith('x-amz-')) {
      throw new AppError('invalid_metadata', `metadata key "${k}" must be [a-z0-9-] and not a header name`, 400);
    }
    if (typeof v !== 'string' || !META_VALUE.test(v)) {
      throw new AppError('invalid_metadata', `metadata "${key}" must be printable ASCII up to 1024 chars`, 400);
    }
    out[key] = v;
  }
  return out;
}

/** Splits what an S3 client reports as metadata into the user's own keys (reserved headers removed). */
export function userMetadataFrom(reported: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(reported)) {
    const key = k.toLowerCase();
    if (RESERVED_META.has(key) || key.startsWith('x-amz-') || typeof v !== 'string') continue;
    out[key] = v;
  }
  return out;
}

export function contentTypeOrDefault(contentType: string | undefined): string {
  if (contentType === undefined) return 'application/octet-stream';
  if (!CONTENT_TYPE.test(contentType) || contentType.length > 255) {
    throw new AppError('invalid_content_type', 'content type must look like type/subtype', 400);
  }
  return contentType;
}

/** Resolves an inclusive range against the object size, or throws 416. */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  const { start } = range;
  const end = range.end === undefined ? size - 1 : Math.min(range.end, size - 1);
  const valid =
    Number.isInteger(start) && start >= 0 && start < size && (range.end === undefined || Number.isInteger(range.end));
  if (!valid || end < start) {
    throw new AppError('range_not_satisfiable', `range ${start}-${range.end ?? ''} is outside 0-${size - 1}`, 416, {
      size,
    });
  }
  return { start, end };
}

export function assertExpiry(expiresInS: number): void {
  if (!Number.isInteger(expiresInS) || expiresInS < 1 || expiresInS > MAX_PRESIGN_SECONDS) {
    throw new AppError('invalid_expiry', `expiresInS must be an integer in 1..${MAX_PRESIGN_SECONDS}`, 400);
  }
}

export function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new AppError('invalid_part_number', `part number must be an integer in 1..${MAX_PARTS}`, 400);
  }
}

export function assertPartList(parts: UploadedPart[]): void {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new AppError('invalid_part_list', 'at least one part is required', 400);
  }
  parts.forEach((p, i) => {
    assertPartNumber(p.partNumber);
    if (i > 0 && p.partNumber <= parts[i - 1].partNumber) {
      throw new AppError('invalid_part_order', 'parts must be listed in ascending part-number order', 400);
    }
    if (typeof p.etag !== 'string' || p.etag.length === 0) {
      throw new AppError('invalid_part', `part ${p.partNumber} has no etag`, 400);
    }
  });
}

export function partTooLarge(): AppError {
  return new AppError('part_too_large', `a part may hold at most ${MAX_PART_SIZE} bytes`, 413);
}
