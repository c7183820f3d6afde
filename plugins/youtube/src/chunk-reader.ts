import type { Readable } from 'node:stream';

/**
 * Reads byte ranges of a media stream for chunked uploads: sequential reads stream straight through;
 * a read that starts before the current position (resuming after a partly received chunk) reopens
 * the stream and skips to the offset, so no more than one chunk is ever held in memory.
 */
export class ChunkReader {
  private iter?: AsyncIterator<Buffer>;
  private stream?: Readable;
  private pending: Buffer = Buffer.alloc(0);
  private pos = 0;

  constructor(private readonly open: () => Readable) {}

  async read(start: number, length: number): Promise<Buffer> {
    if (!this.iter || start < this.pos) this.reopen();
    while (this.pos < start) {
      const skipped = await this.take(Math.min(start - this.pos, 8 * 1024 * 1024));
      if (!skipped.length) throw new Error(`media ended at ${this.pos} bytes, before offset ${start}`);
    }
    const out = await this.take(length);
    if (out.length !== length) throw new Error(`media ended at ${this.pos} bytes; ${length} more were expected at ${start}`);
    return out;
  }

  close(): void {
    this.stream?.destroy();
  }

  private reopen(): void {
    this.close();
    this.stream = this.open();
    this.iter = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.pending = Buffer.alloc(0);
    this.pos = 0;
  }

  private async take(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      if (!this.pending.length) {
        const next = await (this.iter as AsyncIterator<Buffer>).next();
        if (next.done) break;
        this.pending = Buffer.from(next.value);
      }
      const piece = this.pending.subarray(0, n - have);
      this.pending = this.pending.subarray(piece.length);
      parts.push(piece);
      have += piece.length;
    }
    this.pos += have;
    return Buffer.concat(parts);
  }
}
