import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The ffmpeg binary shipped by @ffmpeg-installer/ffmpeg, or null when it is not installed here. */
export function findFfmpeg(): string | null {
  try {
    const { path } = require('@ffmpeg-installer/ffmpeg') as { path: string };
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** H.264/AAC MP4 fitting inside maxEdge (even dimensions), fast-start for streaming. */
export async function transcodeVideo(ffmpeg: string, input: string, output: string, maxEdge: number, timeoutMs: number): Promise<void> {
  const fit = (dim: string) => `trunc(min(${maxEdge},${dim})/2)*2`;
  const scale = `scale='if(gt(iw,ih),${fit('iw')},-2)':'if(gt(iw,ih),-2,${fit('ih')})'`;
  await run(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-vf', scale, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23',
      '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', output],
    { timeout: timeoutMs },
  );
}

/** One JPEG frame at `atS` seconds (or the first frame for very short clips). */
export async function posterFrame(ffmpeg: string, input: string, output: string, atS: number, timeoutMs: number): Promise<void> {
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(atS), '-i', input, '-frames:v', '1', '-vf', 'scale=640:-2', output], {
    timeout: timeoutMs,
  });
}
