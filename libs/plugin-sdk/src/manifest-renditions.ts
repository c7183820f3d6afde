import { z } from 'zod';

/** Allowed width/height range; media outside it is centre-cropped to the nearest bound. */
export const aspectRangeSchema = z
  .object({ min: z.number().positive(), max: z.number().positive() })
  .strict()
  .refine((a) => a.min <= a.max, 'min must not exceed max');
export type AspectRange = z.infer<typeof aspectRangeSchema>;

const px = z.number().int().positive();

/** What the pipeline encodes an image into for this platform. */
export const imageRenditionSchema = z
  .object({
    format: z.enum(['jpeg', 'png', 'webp']).default('jpeg'),
    maxWidth: px,
    maxHeight: px,
    maxBytes: z.number().int().positive(),
    aspect: aspectRangeSchema.optional(),
  })
  .strict();
export type ImageRendition = z.infer<typeof imageRenditionSchema>;

/** A still taken from the video (cover / thumbnail upload). */
export const coverFrameSchema = z
  .object({
    /** Seconds into the clip; clamped to the clip's length. */
    atS: z.number().nonnegative().default(1),
    format: z.enum(['jpeg', 'png']).default('jpeg'),
    maxWidth: px,
    maxHeight: px,
    maxBytes: z.number().int().positive(),
  })
  .strict();
export type CoverFrame = z.infer<typeof coverFrameSchema>;

/** What the pipeline encodes a video into for this platform. */
export const videoRenditionSchema = z
  .object({
    container: z.enum(['mp4', 'mov', 'webm']).default('mp4'),
    videoCodec: z.enum(['h264', 'hevc', 'vp9']).default('h264'),
    audioCodec: z.enum(['aac', 'opus']).default('aac'),
    maxWidth: px,
    maxHeight: px,
    aspect: aspectRangeSchema.optional(),
    minDurationS: z.number().nonnegative().optional(),
    maxDurationS: z.number().positive(),
    /** Video stream ceiling (the encoder caps its rate there). */
    maxBitrateKbps: z.number().int().positive().optional(),
    maxFps: z.number().positive().optional(),
    maxBytes: z.number().int().positive(),
    cover: coverFrameSchema.optional(),
  })
  .strict()
  .refine((v) => v.container !== 'webm' || (v.videoCodec === 'vp9' && v.audioCodec === 'opus'), 'webm carries vp9 video with opus audio')
  .refine((v) => v.container === 'webm' || v.videoCodec !== 'vp9', 'vp9 needs the webm container');
export type VideoRendition = z.infer<typeof videoRenditionSchema>;

/** Manifest block (contract 1.1): the renditions the pipeline prepares for this platform. */
export const renditionsSchema = z
  .object({ image: imageRenditionSchema.optional(), video: videoRenditionSchema.optional() })
  .strict();
export type RenditionTargets = z.infer<typeof renditionsSchema>;
