import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '@sx/service-kit';
import { field, mediaInfoTracks } from './video-probe';

export interface ImageProbe {
  metadata: Record<string, unknown>;
  width: number;
  height: number;
}

/**
 * Reads the header only (no pixel decode) and enforces the pixel cap before anything decodes the image,
 * so a small file declaring 30000x30000 pixels is refused without allocating them.
 */
export async function probeImage(file: string, maxPixels: number): Promise<ImageProbe> {
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new AppError('corrupt_file', `The image cannot be read: ${reason(e)}`, 422);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const frameHeight = meta.pageHeight ?? height;
  if (!width || !height) throw new AppError('corrupt_file', 'The image declares no dimensions', 422);
  if (width * height > maxPixels) {
    throw new AppError('too_many_pixels', `The image has ${width}x${height} pixels, over the ${maxPixels}-pixel cap`, 422, {
      width,
      height,
      maxPixels,
    });
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    width,
    height: frameHeight,
    metadata: {
      width: rotated ? frameHeight : width,
      height: rotated ? width : frameHeight,
      format: meta.format,
      frames: meta.pages ?? 1,
      rotation: orientationToDegrees(meta.orientation),
      colorSpace: meta.space,
      hasAlpha: meta.hasAlpha ?? false,
      density: meta.density,
      exif: { present: Boolean(meta.exif?.length), orientation: meta.orientation ?? null, bytes: meta.exif?.length ?? 0, ...(await exifSummary(file)) },
      iccProfile: Boolean(meta.icc?.length),
    },
  };
}

/**
 * Camera, capture time and whether a location is present, read by mediainfo.js from the EXIF block.
 * Only the original keeps these; the published copy is re-encoded without them.
 */
async function exifSummary(file: string): Promise<Record<string, unknown>> {
  const general = (await mediaInfoTracks(file).catch(() => [])).find((t) => t['@type'] === 'General');
  const text = (key: string) => {
    const v = field(general, key);
    return typeof v === 'string' && v.length <= 200 ? v : null;
  };
  return {
    make: text('Encoded_Hardware_CompanyName'),
    model: text('Encoded_Hardware_Model'),
    takenAt: text('Encoded_Date') ?? text('Recorded_Date'),
    hasLocation: Boolean(field(general, 'Recorded_Location')),
  };
}

export interface ImageRenditions {
  /** Re-encoded image, EXIF/ICC/XMP dropped (sharp keeps no metadata unless asked): only pixels survive. */
  published: Buffer;
  thumbnail: Buffer;
}

/**
 * Fully decodes the image once (under the pixel cap) — which is also the integrity check: a truncated or
 * corrupt file fails here — and produces the published copy and a 320 px WebP thumbnail.
 */
export async function renderImage(file: string, format: string, maxPixels: number): Promise<ImageRenditions> {
  const animated = format === 'gif' || format === 'webp';
  const input = () => sharp(file, { limitInputPixels: maxPixels, failOn: 'warning', animated }).rotate();
  try {
    const published = await reencode(input(), format).toBuffer();
    const thumbnail = await input()
      .resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { published, thumbnail };
  } catch (e) {
    throw new AppError('corrupt_file', `The image is truncated or corrupt: ${reason(e)}`, 422);
  }
}

function reencode(img: Sharp, format: string): Sharp {
  switch (format) {
    case 'png':
      return img.png();
    case 'webp':
      return img.webp({ quality: 90 });
    case 'gif':
      return img.gif();
    default:
      return img.jpeg({ quality: 90, mozjpeg: true });
  }
}

function orientationToDegrees(o: number | undefined): number {
  switch (o) {
    case 3:
    case 4:
      return 180;
    case 5:
    case 6:
      return 90;
    case 7:
    case 8:
      return 270;
    default:
      return 0;
  }
}

function reason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
}
