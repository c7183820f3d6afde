import { z } from 'zod';
import { defineCommand } from '../define';
import { idSchema, instantSchema, pageOf, pageRequestSchema } from '../common';

export const assetStatusSchema = z.enum(['uploaded', 'processing', 'ready', 'rejected']);
export const assetKindSchema = z.enum(['image', 'video', 'audio', 'document']);
const tagSchema = z.string().trim().min(1).max(64);

/** One asset as the API shows it; `urls` are relative to the public origin (`/media/...`). */
export const mediaAssetSchema = z.object({
  id: idSchema,
  filename: z.string(),
  mime: z.string(),
  kind: assetKindSchema,
  bytes: z.number().int().nonnegative(),
  sha256: z.string().nullable(),
  status: assetStatusSchema,
  statusCode: z.string().nullable(),
  statusDetail: z.string().nullable(),
  source: z.enum(['upload', 'watch-folder', 'url-import']),
  metadata: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  platforms: z.array(z.string()),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  deletedAt: instantSchema.nullable(),
  urls: z.object({ content: z.string().nullable(), thumbnail: z.string().nullable() }),
});
export type MediaAsset = z.infer<typeof mediaAssetSchema>;

/** Result of an ingest: the asset, and whether the same bytes were already in the library. */
export const ingestResultSchema = z.object({ asset: mediaAssetSchema, duplicate: z.boolean() });
export type IngestResult = z.infer<typeof ingestResultSchema>;

export const mediaSortSchema = z.enum(['created_desc', 'created_asc', 'name_asc', 'size_desc']);

export const MediaList = defineCommand(
  'media',
  'list',
  pageRequestSchema.extend({
    kind: assetKindSchema.optional(),
    status: assetStatusSchema.optional(),
    platform: z.string().min(1).max(40).optional(),
    tags: z.array(tagSchema).max(20).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    q: z.string().trim().min(1).max(200).optional(),
    deleted: z.enum(['exclude', 'only', 'include']).default('exclude'),
    sort: mediaSortSchema.default('created_desc'),
  }),
  pageOf(mediaAssetSchema),
);

export const MediaGet = defineCommand('media', 'get', z.object({ assetId: idSchema }), mediaAssetSchema);

export const MediaDelete = defineCommand('media', 'delete', z.object({ assetId: idSchema }), mediaAssetSchema);

export const MediaRestore = defineCommand('media', 'restore', z.object({ assetId: idSchema }), mediaAssetSchema);

export const MediaUpdate = defineCommand(
  'media',
  'update',
  z.object({
    assetId: idSchema,
    tags: z.array(tagSchema).max(50).optional(),
    platforms: z.array(z.string().min(1).max(40)).max(20).optional(),
  }),
  mediaAssetSchema,
);

export const MediaImportUrl = defineCommand(
  'media',
  'import-url',
  z.object({
    url: z.url({ protocol: /^https?$/ }).max(2048),
    filename: z.string().min(1).max(255).optional(),
    tags: z.array(tagSchema).max(50).default([]),
    platforms: z.array(z.string().min(1).max(40)).max(20).default([]),
  }),
  ingestResultSchema,
);

/** Internal (service to service, never routed by the gateway): where an asset's bytes are stored. */
export const MediaLocate = defineCommand(
  'media',
  'locate',
  z.object({ assetId: idSchema }),
  z.object({ key: z.string().nullable(), mime: z.string(), bytes: z.number().int().nonnegative() }),
);

/** A presigned PUT (S3: straight to the bucket; disk: /storage/objects), then `upload-complete`. */
export const MediaUploadInit = defineCommand(
  'media',
  'upload-init',
  z.object({ filename: z.string().min(1).max(255), bytes: z.number().int().positive() }),
  z.object({ uploadId: idSchema, method: z.literal('PUT'), url: z.string(), expiresAt: instantSchema }),
);

/** Validates and ingests what the client PUT to the presigned URL; the staging object is removed either way. */
export const MediaUploadComplete = defineCommand(
  'media',
  'upload-complete',
  z.object({
    uploadId: idSchema,
    filename: z.string().min(1).max(255),
    tags: z.array(tagSchema).max(50).default([]),
    platforms: z.array(z.string().min(1).max(40)).max(20).default([]),
  }),
  ingestResultSchema,
);
