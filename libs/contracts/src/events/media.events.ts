import { z } from 'zod';
import { defineEvent } from '../define';
import { idSchema } from '../common';

const assetRef = z.object({
  assetId: idSchema,
  filename: z.string(),
  mime: z.string(),
  kind: z.enum(['image', 'video', 'audio', 'document']),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().length(64),
});

export const MediaUploaded = defineEvent('media.uploaded', 1, 'MEDIA', assetRef);
export const MediaReady = defineEvent(
  'media.ready',
  1,
  'MEDIA',
  assetRef.extend({
    metadata: z.record(z.string(), z.unknown()),
    source: z.enum(['upload', 'watch-folder', 'url-import']),
    autoSchedule: z.boolean(),
    platforms: z.array(z.string()).default([]),
  }),
);
export const MediaRejected = defineEvent(
  'media.rejected',
  1,
  'MEDIA',
  z.object({ assetId: idSchema, filename: z.string(), code: z.string(), reason: z.string() }),
);
export const MediaDeleted = defineEvent('media.deleted', 1, 'MEDIA', z.object({ assetId: idSchema, hard: z.boolean() }));
