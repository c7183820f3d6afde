import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { VideoRendition } from '@sx/plugin-sdk';

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

export const VIDEO_MIME = { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm' } as const;

const VIDEO_CODEC_ARGS: Record<VideoRendition['videoCodec'], string[]> = {
  h264: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
  hevc: ['-c:v', 'libx265', '-preset', 'veryfast', '-crf', '28', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-crf', '32', '-pix_fmt', 'yuv420p'],
};
const AUDIO_CODEC_ARGS: Record<VideoRendition['audioCodec'], string[]> = {
  aac: ['-c:a', 'aac', '-b:a', '128k'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
};

/**
 * The filter chain for a target: centre-crop into the aspect range, then scale to fit inside
 * maxWidth×maxHeight (never enlarging) with even dimensions, as every encoder here needs.
 */
export function videoFilter(target: VideoRendition): string {
  const filters: string[] = [];
  if (target.aspect) {
    const { min, max } = target.aspect;
    filters.push(`crop=w='if(gt(iw/ih,${max}),trunc(ih*${max}/2)*2,iw)':h='if(lt(iw/ih,${min}),trunc(iw/${min}/2)*2,ih)'`);
  }
  const factor = `min(1,min(${target.maxWidth}/iw,${target.maxHeight}/ih))`;
  filters.push(`scale=w='trunc(${factor}*iw/2)*2':h='trunc(${factor}*ih/2)*2'`);
  return filters.join(',');
}

/** ffmpeg arguments encoding `input` into the target's container and codecs. */
export function transcodeArgs(input: string, output: string, target: VideoRendition, sourceFps: number | null): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-vf', videoFilter(target), ...VIDEO_CODEC_ARGS[target.videoCodec]];
  if (target.maxBitrateKbps) args.push('-maxrate', `${target.maxBitrateKbps}k`, '-bufsize', `${target.maxBitrateKbps * 2}k`);
  if (target.videoCodec === 'vp9') args.push('-b:v', target.maxBitrateKbps ? `${target.maxBitrateKbps}k` : '0');
  if (target.maxFps && sourceFps && sourceFps > target.maxFps) args.push('-r', String(target.maxFps));
  args.push(...AUDIO_CODEC_ARGS[target.audioCodec]);
  if (target.container !== 'webm') args.push('-movflags', '+faststart');
  args.push('-f', target.container, output);
  return args;
}

export async function transcodeVideo(ffmpeg: string, input: string, output: string, target: VideoRendition, timeoutMs: number): Promise<void> {
  await run(ffmpeg, transcodeArgs(input, output, target, await probeFps(ffmpeg, input)), { timeout: timeoutMs });
}

/** Frame rate of the first video stream, read from ffmpeg's stream summary; null when it does not say. */
export async function probeFps(ffmpeg: string, input: string): Promise<number | null> {
  const stderr = await run(ffmpeg, ['-hide_banner', '-i', input], { timeout: 30_000 }).then(
    (r) => r.stderr,
    (e: { stderr?: string }) => e.stderr ?? '',
  );
  const m = /Video:.*?, ([\d.]+) fps/.exec(stderr);
  return m ? Number(m[1]) : null;
}

/** One PNG frame at `atS` seconds (or the first frame for very short clips), full size. */
export async function frameAt(ffmpeg: string, input: string, output: string, atS: number, timeoutMs: number): Promise<void> {
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(atS), '-i', input, '-frames:v', '1', '-f', 'image2', output], { timeout: timeoutMs });
}

/** One JPEG frame at `atS` seconds (or the first frame for very short clips). */
export async function posterFrame(ffmpeg: string, input: string, output: string, atS: number, timeoutMs: number): Promise<void> {
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(atS), '-i', input, '-frames:v', '1', '-vf', 'scale=640:-2', output], {
    timeout: timeoutMs,
  });
}
