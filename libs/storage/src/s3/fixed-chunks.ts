import type { Readable } from 'node:stream';

/**
 * Re-cuts a byte stream into Buffers of exactly `size` bytes (the last may be shorter, never
 * empty unless the stream was). Holds at most one chunk plus one incoming read in memory.
 */
export async function* fixedChunks(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of body) {
    let buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
    while (pendingBytes + buf.length >= size) {
      const take = size - pendingBytes;
      pending.push(buf.subarray(0, take));
      yield Buffer.concat(pending, size);
      pending = [];
      pendingBytes = 0;
      buf = buf.subarray(take);
    }
    if (buf.length > 0) {
      pending.push(buf);
      pendingBytes += buf.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

/** Reads the whole stream into one Buffer, failing with `tooLarge()` past `maxBytes`. */
export async function readAtMost(body: Readable, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const piece of body) {
    const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
    total += buf.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge();
    }
    parts.push(buf);
  }
  return Buffer.concat(parts, total);
}
