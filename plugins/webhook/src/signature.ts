// Signature scheme: `X-SX-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` and
// `X-SX-Timestamp: <unix seconds>`; receivers reject stale timestamps to stop replays.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-sx-signature';
export const TIMESTAMP_HEADER = 'x-sx-timestamp';

export function sign(secret: string, timestampS: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}
