// The post's record key, chosen before createRecord so reconcile can look the post up.
// It is a syntactically valid TID derived from the job's idempotency key: the plugin keeps no state,
// so every attempt (and reconcile) of one job computes the same key. TIDs of posts need not be
// time-ordered for clients (feeds sort by createdAt/indexedAt).
import { createHash } from 'node:crypto';

const S32 = '234567abcdefghijklmnopqrstuvwxyz';
// 2020-09-13 in microseconds; the hash adds up to ~8.9 years.
const BASE_MICROS = 1_600_000_000_000_000n;

export function recordKeyFor(idempotencyKey: string): string {
  const h = createHash('sha256').update(`sx-bluesky-rkey:${idempotencyKey}`).digest();
  const micros = BASE_MICROS + (h.readBigUInt64BE(0) & ((1n << 48n) - 1n));
  const clockId = BigInt(h.readUInt16BE(8) & 0x3ff);
  let n = (micros << 10n) | clockId;
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

export function rkeyOfUri(uri: string): string {
  return uri.split('/').pop() ?? '';
}
