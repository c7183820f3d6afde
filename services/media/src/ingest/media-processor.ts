import { rm, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError } from '@sx/service-kit';
import type { AssetKind } from '../db/media-asset.entity';
import { probeImage, renderImage } from './image-probe';
import { extractPosterFrame, ffprobeDetails, stripVideoMetadata, type MediaBinaries } from './media-tools';
import { SUPPORTED_TYPES } from './media-types';
import { findEmbeddedMarkup, sniffFile } from './sniff';
import { probeVideo } from './video-probe';

export interface MediaLimits {
  maxBytes: number;
  maxPixels: number;
  maxDurationS: number;
  allowedTypes: readonly string[];
}

export interface Identified {
  mime: string;
  ext: string;
  kind: AssetKind;
}

/** What processing produced: metadata plus derived files/buffers to store. The caller removes `tempFiles`. */
export interface ProcessedMedia {
  metadata: Record<string, unknown>;
  /** Published copy: EXIF/container metadata stripped. A path on disk (video) or bytes (image). */
  published?: { file?: string; buffer?: Buffer; mime: string };
  thumbnail?: Buffer;
  /** Degraded but accepted (e.g. no ffmpeg for the poster frame). */
  notice?: { code: string; detail: string };
  tempFiles: string[];
}

/**
 * Validation and derivation for one file on local disk. Every refusal is an AppError with a 4xx status
 * and a code; nothing here writes to storage.
 */
export class MediaProcessor {
  constructor(
    private readonly limits: MediaLimits,
    private readonly binaries: MediaBinaries,
  ) {}

  /** Type from magic bytes, checked against the allowlist; size caps and emptiness too. */
  async identify(file: string, bytes: number): Promise<Identified> {
    if (bytes === 0) throw new AppError('empty_file', 'The file is empty', 422);
    if (bytes > this.limits.maxBytes) {
      throw new AppError('file_too_large', `The file is larger than the ${this.limits.maxBytes}-byte limit`, 413, {
        maxBytes: this.limits.maxBytes,
      });
    }
    const sniffed = await sniffFile(file);
    if (!sniffed) {
      throw new AppError('unsupported_type', 'The file type could not be recognised from its content', 415);
    }
    const known = SUPPORTED_TYPES[sniffed.mime];
    if (!known || !this.limits.allowedTypes.includes(sniffed.mime)) {
      throw new AppError('unsupported_type', `Files of type ${sniffed.mime} are not accepted`, 415, {
        detected: sniffed.mime,
        allowed: this.limits.allowedTypes,
      });
    }
    return { mime: sniffed.mime, ext: known.ext, kind: known.kind };
  }

  async process(file: string, id: Identified): Promise<ProcessedMedia> {
    return id.kind === 'image' ? this.processImage(file, id) : this.processVideo(file, id);
  }

  private async processImage(file: string, id: Identified): Promise<ProcessedMedia> {
    const markup = await findEmbeddedMarkup(file);
    if (markup) {
      throw new AppError('polyglot_rejected', `The image carries embedded markup (${markup}); refusing a polyglot file`, 422);
    }
    const probe = await probeImage(file, this.limits.maxPixels);
    const format = String(probe.metadata['format'] ?? id.ext);
    const r = await renderImage(file, format, this.limits.maxPixels);
    return { metadata: probe.metadata, published: { buffer: r.published, mime: id.mime }, thumbnail: r.thumbnail, tempFiles: [] };
  }

  private async processVideo(file: string, id: Identified): Promise<ProcessedMedia> {
    const probe = await probeVideo(file);
    if (probe.durationS > this.limits.maxDurationS) {
      throw new AppError(
        'duration_exceeded',
        `The video lasts ${Math.round(probe.durationS)} s, over the ${this.limits.maxDurationS} s cap`,
        422,
        { durationS: probe.durationS, maxDurationS: this.limits.maxDurationS },
      );
    }
    if (probe.width * probe.height > this.limits.maxPixels) {
      throw new AppError('too_many_pixels', `The video frame is ${probe.width}x${probe.height}, over the pixel cap`, 422);
    }
    if (this.binaries.ffprobe) {
      // Extra precision only: mediainfo already validated the file, so an ffprobe failure is not a rejection.
      const details = await ffprobeDetails(this.binaries.ffprobe, file).catch(() => undefined);
      if (details) Object.assign(probe.metadata, details, { probe: 'mediainfo.js+ffprobe' });
    }
    const ffmpeg = this.binaries.ffmpeg;
    if (!ffmpeg) {
      return {
        metadata: probe.metadata,
        tempFiles: [],
        notice: { code: 'no_ffmpeg', detail: 'No ffmpeg binary is available: no poster frame, metadata not stripped' },
      };
    }
    const out = `${file}.published.${id.ext}`;
    const tempFiles = [out];
    try {
      await stripVideoMetadata(ffmpeg, file, out, Number(probe.metadata['rotation'] ?? 0));
      const posterAt = Math.min(1, probe.durationS / 2);
      const png = await extractPosterFrame(ffmpeg, file, posterAt);
      const thumbnail = await sharp(png, { limitInputPixels: this.limits.maxPixels }).webp({ quality: 80 }).toBuffer();
      await stat(out);
      return { metadata: probe.metadata, published: { file: out, mime: id.mime }, thumbnail, tempFiles };
    } catch (e) {
      await Promise.all(tempFiles.map((f) => rm(f, { force: true })));
      const detail = (e instanceof Error ? e.message : String(e)).slice(0, 300);
      throw new AppError('corrupt_file', `The video could not be decoded: ${detail}`, 422);
    }
  }
}
