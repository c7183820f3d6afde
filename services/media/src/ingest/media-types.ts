import type { AssetKind } from '../db/media-asset.entity';

/** Types we can validate, probe and preview. Config narrows this list (`SX_MEDIA_ALLOWED_TYPES`). */
export const SUPPORTED_TYPES: Record<string, { kind: AssetKind; ext: string }> = {
  'image/jpeg': { kind: 'image', ext: 'jpg' },
  'image/png': { kind: 'image', ext: 'png' },
  'image/webp': { kind: 'image', ext: 'webp' },
  'image/gif': { kind: 'image', ext: 'gif' },
  'video/mp4': { kind: 'video', ext: 'mp4' },
  'video/quicktime': { kind: 'video', ext: 'mov' },
  'video/webm': { kind: 'video', ext: 'webm' },
};

export function kindOf(mime: string): AssetKind {
  return SUPPORTED_TYPES[mime]?.kind ?? 'document';
}
