import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

export interface MediaBinaries {
  ffmpeg?: string;
  ffprobe?: string;
}

/**
 * ffmpeg from @ffmpeg-installer (ships the binary inside the npm package), else the system's PATH.
 * Undefined when neither exists: video assets then get no poster and say so in their status.
 */
export function resolveMediaBinaries(searchPath = '/usr/local/bin:/usr/bin:/bin'): MediaBinaries {
  return {
    ffmpeg: fromInstaller('ffmpeg') ?? fromPath('ffmpeg', searchPath),
    ffprobe: fromInstaller('ffprobe') ?? fromPath('ffprobe', searchPath),
  };
}

function fromInstaller(tool: 'ffmpeg' | 'ffprobe'): string | undefined {
  try {
    const installer = (tool === 'ffmpeg' ? require('@ffmpeg-installer/ffmpeg') : require('@ffprobe-installer/ffprobe')) as { path: string };
    return executable(installer.path) ? installer.path : undefined;
  } catch {
    return undefined;
  }
}

function fromPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Only local files and pipes: a crafted playlist inside a container cannot make ffmpeg read URLs. */
const SAFE_INPUT = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-protocol_whitelist', 'file,pipe'];

/** First frame (or the one at `atS`), scaled to 640 px wide, as PNG bytes on stdout. */
export function extractPosterFrame(ffmpeg: string, file: string, atS: number, timeoutMs = 30_000): Promise<Buffer> {
  const args = [...SAFE_INPUT, '-ss', atS.toFixed(2), '-i', file, '-frames:v', '1', '-vf', 'scale=640:-2'];
  return run(ffmpeg, [...args, '-f', 'image2pipe', '-vcodec', 'png', 'pipe:1'], timeoutMs);
}

/**
 * Remuxes without re-encoding and drops container/stream metadata (GPS, device, titles) from the published
 * copy — except the display rotation (clockwise degrees), which is written back so portrait clips stay upright.
 */
export async function stripVideoMetadata(ffmpeg: string, file: string, out: string, rotation = 0, timeoutMs = 600_000): Promise<void> {
  const args = [...SAFE_INPUT, '-y', '-i', file, '-map', '0', '-map_metadata', '-1', '-map_chapters', '-1', '-c', 'copy'];
  const keepRotation = rotation ? ['-metadata:s:v:0', `rotate=${rotation}`] : [];
  await run(ffmpeg, [...args, ...keepRotation, out], timeoutMs);
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
}

/** Exact stream details from ffprobe (codec names, profile, pixel format, exact frame rate, audio layout). */
export async function ffprobeDetails(ffprobe: string, file: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const args = ['-v', 'error', '-protocol_whitelist', 'file', '-show_streams', '-of', 'json', file];
  const out = JSON.parse((await run(ffprobe, args, timeoutMs)).toString('utf8')) as { streams?: FfprobeStream[] };
  const video = out.streams?.find((s) => s.codec_type === 'video');
  const audio = out.streams?.find((s) => s.codec_type === 'audio');
  return {
    videoCodecName: video?.codec_name ?? null,
    videoProfile: video?.profile ?? null,
    pixelFormat: video?.pix_fmt ?? null,
    frameRateExact: video?.r_frame_rate ?? null,
    audioCodecName: audio?.codec_name ?? null,
    audioSampleRate: audio?.sample_rate ? Number(audio.sample_rate) : null,
    audioChannels: audio?.channels ?? null,
  };
}

function run(bin: string, args: string[], timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, env: {} },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${path.basename(bin)} failed: ${stderr.toString().trim().slice(0, 300) || err.message}`));
        else resolve(stdout);
      },
    );
  });
}
