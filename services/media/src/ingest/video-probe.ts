import { open } from 'node:fs/promises';
import mediaInfoFactory, { type MediaInfo, type Track } from 'mediainfo.js';
import { AppError } from '@sx/service-kit';

export interface VideoProbe {
  durationS: number;
  width: number;
  height: number;
  metadata: Record<string, unknown>;
}

let shared: Promise<MediaInfo<'object'>> | undefined;

/** One wasm instance per process (init costs ~0.1 s); analyses are serialised through it. */
function mediaInfo(): Promise<MediaInfo<'object'>> {
  shared ??= mediaInfoFactory({ format: 'object' });
  return shared;
}
let queue: Promise<unknown> = Promise.resolve();

/**
 * Duration, dimensions, codecs, frame rate, bitrate and rotation from mediainfo.js (wasm, reads the file
 * in chunks — never whole). A truncated container or one without a video track is rejected with the reason.
 */
export async function probeVideo(file: string): Promise<VideoProbe> {
  const tracks = await mediaInfoTracks(file);
  const general = tracks.find((t) => t['@type'] === 'General');
  const video = tracks.find((t) => t['@type'] === 'Video');
  const audio = tracks.find((t) => t['@type'] === 'Audio');
  const extra = (general?.extra ?? {}) as Record<string, unknown>;
  if (extra['IsTruncated'] === 'Yes') {
    throw new AppError('truncated_file', 'The video file is truncated: the container declares more data than it holds', 422);
  }
  if (!video) throw new AppError('corrupt_file', 'The file has no readable video track', 422);
  const width = num(video, 'Width');
  const height = num(video, 'Height');
  const durationS = num(general, 'Duration') || num(video, 'Duration');
  if (!width || !height || !durationS) {
    throw new AppError('corrupt_file', 'The video track declares no dimensions or duration', 422);
  }
  const rotation = normaliseRotation(Number(str(video, 'Rotation') ?? 0));
  return {
    durationS,
    width,
    height,
    metadata: {
      container: str(general, 'Format'),
      durationS,
      width: rotation % 180 === 0 ? width : height,
      height: rotation % 180 === 0 ? height : width,
      codedWidth: width,
      codedHeight: height,
      videoCodec: str(video, 'Format'),
      audioCodec: audio ? str(audio, 'Format') : null,
      frameRate: num(video, 'FrameRate') || null,
      bitrate: num(general, 'OverallBitRate') || num(video, 'BitRate') || null,
      rotation,
      probe: 'mediainfo.js',
    },
  };
}

/** mediainfo reports rotation counter-clockwise (270 where ffprobe says 90); we store clockwise degrees. */
function normaliseRotation(deg: number): number {
  const cw = (360 - Math.round(deg)) % 360;
  return Number.isFinite(cw) ? cw : 0;
}

/** All mediainfo tracks of a file (images too: EXIF make/model/date land in the General track). */
export async function mediaInfoTracks(file: string): Promise<Track[]> {
  const run = queue.then(() => analyse(file));
  queue = run.catch(() => undefined);
  return run;
}

async function analyse(file: string): Promise<Track[]> {
  const mi = await mediaInfo();
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const result = await mi.analyzeData(size, async (chunkSize: number, offset: number) => {
      const buf = Buffer.alloc(Math.min(chunkSize, Math.max(0, size - offset)));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      return buf.subarray(0, bytesRead);
    });
    return result.media?.track ?? [];
  } finally {
    await fh.close();
  }
}

export function field(t: Track | undefined, key: string): unknown {
  return t ? (t as unknown as Record<string, unknown>)[key] : undefined;
}
function num(t: Track | undefined, key: string): number {
  const v = Number(field(t, key));
  return Number.isFinite(v) ? v : 0;
}
function str(t: Track | undefined, key: string): string | null {
  const v = field(t, key);
  return typeof v === 'string' ? v : null;
}
