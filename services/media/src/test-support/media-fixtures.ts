import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { resolveMediaBinaries } from '../ingest/media-tools';

const run = promisify(execFile);

/** Generated test media (nothing binary is committed). */
export async function makeJpegWithExif(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SecretCam', Model: 'GPS-9000', Copyright: 'private-owner' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export async function makePng(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 120, b: 255, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** A tiny but valid PNG whose IHDR claims `width`x`height` (a decompression bomb's header). */
export async function makePixelBombPng(width = 30000, height = 30000): Promise<Buffer> {
  const png = Buffer.from(await makePng(1, 1));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  const { crc32 } = await import('node:zlib');
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

/** A short H.264/AAC mp4 made with the ffmpeg shipped by @ffmpeg-installer, with metadata to strip. */
export async function makeMp4(dir: string, seconds = 2, size = '320x240', rotate?: number): Promise<string> {
  const ffmpeg = resolveMediaBinaries().ffmpeg;
  if (!ffmpeg) throw new Error('the test needs ffmpeg from @ffmpeg-installer/ffmpeg');
  const out = path.join(dir, `clip-${seconds}s-${size}${rotate ? `-r${rotate}` : ''}.mp4`);
  await run(ffmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-f', 'lavfi', '-i', 'sine=frequency=440'],
    ...['-t', String(seconds), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
    ...['-metadata', 'title=secret-title', '-metadata', 'location=+48.8584+002.2945/', out],
  ]);
  if (!rotate) return out;
  // A display-matrix rotation, as phones write it: set on a stream copy (an encode would not keep it).
  const rotated = out.replace(/\.mp4$/, '.rot.mp4');
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', out, '-c', 'copy', '-metadata:s:v', `rotate=${rotate}`, rotated]);
  return rotated;
}

export async function writeFixture(dir: string, name: string, body: Buffer | string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, body);
  return file;
}
