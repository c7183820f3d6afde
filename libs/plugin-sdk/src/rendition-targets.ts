import type { MediaKindLimits, PluginManifest } from './manifest';
import type { ImageRendition, RenditionTargets, VideoRendition } from './manifest-renditions';

const DEFAULT_IMAGE_EDGE = 4096;
const DEFAULT_VIDEO_EDGE = 1920;
const DEFAULT_MAX_DURATION_S = 3600;

/**
 * The renditions the pipeline prepares for a plugin's platform. A 1.1 manifest declares them in
 * `renditions`; for a 1.0 manifest (or a kind it leaves out) they are derived from `media` limits,
 * so every plugin that takes media gets renditions without anything platform-specific elsewhere.
 */
export function renditionTargets(manifest: PluginManifest): RenditionTargets {
  const declared = manifest.renditions ?? {};
  const image = declared.image ?? (manifest.capabilities.includes('image') ? imageFromLimits(manifest.media.image) : undefined);
  const video = declared.video ?? (manifest.capabilities.includes('video') ? videoFromLimits(manifest.media.video) : undefined);
  return { ...(image ? { image } : {}), ...(video ? { video } : {}) };
}

function edge(limits: MediaKindLimits, side: 'maxWidth' | 'maxHeight', fallback: number): number {
  if (limits[side]) return limits[side] as number;
  return limits.maxPixels ? Math.min(fallback, Math.floor(Math.sqrt(limits.maxPixels))) : fallback;
}

function imageFromLimits(limits: MediaKindLimits | undefined): ImageRendition | undefined {
  if (!limits) return undefined;
  const types = limits.mimeTypes;
  const format = types.includes('image/jpeg') ? 'jpeg' : types.includes('image/png') ? 'png' : types.includes('image/webp') ? 'webp' : undefined;
  if (!format) return undefined;
  return { format, maxWidth: edge(limits, 'maxWidth', DEFAULT_IMAGE_EDGE), maxHeight: edge(limits, 'maxHeight', DEFAULT_IMAGE_EDGE), maxBytes: limits.maxBytes };
}

function videoFromLimits(limits: MediaKindLimits | undefined): VideoRendition | undefined {
  if (!limits) return undefined;
  const types = limits.mimeTypes;
  const container = types.includes('video/mp4') ? 'mp4' : types.includes('video/quicktime') ? 'mov' : types.includes('video/webm') ? 'webm' : undefined;
  if (!container) return undefined;
  const webm = container === 'webm';
  return {
    container,
    videoCodec: webm ? 'vp9' : 'h264',
    audioCodec: webm ? 'opus' : 'aac',
    maxWidth: edge(limits, 'maxWidth', DEFAULT_VIDEO_EDGE),
    maxHeight: edge(limits, 'maxHeight', DEFAULT_VIDEO_EDGE),
    ...(limits.minDurationS !== undefined ? { minDurationS: limits.minDurationS } : {}),
    maxDurationS: limits.maxDurationS ?? DEFAULT_MAX_DURATION_S,
    maxBytes: limits.maxBytes,
  };
}
