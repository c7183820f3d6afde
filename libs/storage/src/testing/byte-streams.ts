import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * A deterministic pseudo-random byte stream of `size` bytes, produced in small pieces so no
 * test ever holds a large object in memory. Same seed, same bytes.
 */
export function patternStream(size: number, seed = 1, piece = 64 * 1024): Readable {
  let produced = 0;
  let state = seed >>> 0 || 1;
  return new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const n = Math.min(piece, size - produced);
      const buf = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        buf[i] = state & 0xff;
      }
      produced += n;
      this.push(buf);
    },
  });
}

/** SHA-256 hex and byte count of a stream, consumed incrementally. */
export async function digestStream(stream: NodeJS.ReadableStream): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    hash.update(buf);
    size += buf.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export async function streamToString(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
  return out;
}
