import sharp from 'sharp';
import type { AspectRange, ImageRendition } from '@sx/plugin-sdk';

export interface EncodedImage {
  data: Buffer;
  mime: string;
  ext: string;
  width: number;
  height: number;
}

const FORMATS = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  webp: { mime: 'image/webp', ext: 'webp' },
} as const;

/** Crop box that brings width/height inside the aspect range, centred; null when already inside. */
export function cropForAspect(width: number, height: number, range?: AspectRange): { left: number; top: number; width: number; height: number } | null {
  if (!range) return null;
  const ratio = width / height;
  if (ratio < range.min) {
    const h = Math.round(width / range.min);
    return { left: 0, top: Math.floor((height - h) / 2), width, height: h };
  }
  if (ratio > range.max) {
    const w = Math.round(height * range.max);
    return { left: Math.floor((width - w) / 2), top: 0, width: w, height };
  }
  return null;
}

/**
 * Encodes `source` inside the target: orientation applied, metadata stripped, centre-cropped into the
 * aspect range, fitted inside maxWidth×maxHeight, then quality (JPEG/WebP) and, if still too big,
 * size stepped down until it fits maxBytes. Null when even the smallest step does not fit.
 */
export async function encodeImage(source: Buffer, target: ImageRendition): Promise<EncodedImage | null> {
  const oriented = await sharp(source).rotate().toBuffer({ resolveWithObject: true });
  const crop = cropForAspect(oriented.info.width, oriented.info.height, target.aspect);
  const { mime, ext } = FORMATS[target.format];
  for (let scale = 1; scale >= 0.25; scale *= 0.75) {
    for (const quality of target.format === 'png' ? [100] : [90, 80, 70, 60, 50, 40]) {
      let img = sharp(oriented.data);
      if (crop) img = img.extract(crop);
      img = img.resize({
        width: Math.max(1, Math.floor(target.maxWidth * scale)),
        height: Math.max(1, Math.floor(target.maxHeight * scale)),
        fit: 'inside',
        withoutEnlargement: true,
      });
      if (target.format === 'jpeg') img = img.jpeg({ quality, mozjpeg: true });
      else if (target.format === 'webp') img = img.webp({ quality });
      else img = img.png({ compressionLevel: 9 });
      const out = await img.toBuffer({ resolveWithObject: true });
      if (out.data.length <= target.maxBytes) return { data: out.data, mime, ext, width: out.info.width, height: out.info.height };
    }
  }
  return null;
}
