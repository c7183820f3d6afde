import { open } from 'node:fs/promises';

export interface Sniffed {
  mime: string;
  ext: string;
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Type from magic bytes only (file-type over the first 64 KiB); the name and the client's MIME type
 * are never consulted.
 */
export async function sniffFile(file: string): Promise<Sniffed | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(head, 0, SNIFF_BYTES, 0);
    const r = await fileTypeFromBuffer(head.subarray(0, bytesRead));
    return r ? { mime: r.mime, ext: r.ext } : undefined;
  } finally {
    await fh.close();
  }
}

/** Markup that makes an image a polyglot (browsers or other parsers could run it as HTML/SVG/PHP). */
const MARKUP = ['<script', '<html', '<body', '<iframe', '<svg', '<?php', '<!doctype', 'javascript:', 'onerror='];
const CHUNK = 1 << 16;

/**
 * Scans a file in 64 KiB windows (bounded memory) for embedded markup. Case-insensitive ASCII match,
 * with an overlap so a marker split across two windows is still found.
 */
export async function findEmbeddedMarkup(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r');
  const overlap = Math.max(...MARKUP.map((m) => m.length)) - 1;
  const buf = Buffer.alloc(CHUNK + overlap);
  let carry = 0;
  let pos = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, CHUNK, pos);
      if (bytesRead === 0) return undefined;
      pos += bytesRead;
      const total = carry + bytesRead;
      const text = buf.subarray(0, total).toString('latin1').toLowerCase();
      const hit = MARKUP.find((m) => text.includes(m));
      if (hit) return hit;
      carry = Math.min(overlap, total);
      buf.copy(buf, 0, total - carry, total);
    }
  } finally {
    await fh.close();
  }
}
