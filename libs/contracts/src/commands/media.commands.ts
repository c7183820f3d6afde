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
    /** Absent = unchanged; `null` or `[]` clears. */
    tags: z.array(tagSchema).max(50).nullable().optional(),
    platforms: z.array(z.string().min(1).max(40)).max(20).nullable().optional(),
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

/** Part size bounds of a presigned multipart upload (S3's 5 MiB floor; the disk route's 64 MiB ceiling). */
export const MULTIPART_MIN_PART_BYTES = 5 * 1024 * 1024;
export const MULTIPART_MAX_PART_BYTES = 64 * 1024 * 1024;
export const MULTIPART_MAX_PARTS = 10_000;
/** Most part URLs one reply carries (`upload-init` and each `upload-parts` page). */
export const MULTIPART_URLS_PER_PAGE = 100;

const presignedPartSchema = z.object({ partNumber: z.number().int().min(1).max(MULTIPART_MAX_PARTS), url: z.string() });

/**
 * A presigned PUT (S3: straight to the bucket; disk: /storage/objects), then `upload-complete`.
 * With `multipart: true` (or a file over the 5 GiB single-PUT limit) it starts a multipart upload instead:
 * the client PUTs part N (bytes `(N-1)*partSize` up to `N*partSize`) to its URL, keeps each response's
 * `ETag`, fetches further part URLs with `upload-parts`, and sends the ETags to `upload-complete`.
 */
export const MediaUploadInit = defineCommand(
  'media',
  'upload-init',
  z.object({
    filename: z.string().min(1).max(255),
    bytes: z.number().int().positive(),
    multipart: z.boolean().optional(),
    partSize: z.number().int().min(MULTIPART_MIN_PART_BYTES).max(MULTIPART_MAX_PART_BYTES).optional(),
  }),
  z.union([
    z.object({ uploadId: idSchema, method: z.literal('PUT'), url: z.string(), expiresAt: instantSchema }),
    z.object({
      uploadId: idSchema,
      method: z.literal('PUT'),
      multipart: z.object({
        /** The storage's multipart upload id; pass it back to `upload-parts` and `upload-complete`. */
        multipartId: z.string(),
        partSize: z.number().int().positive(),
        partCount: z.number().int().positive(),
        /** The first `MULTIPART_URLS_PER_PAGE` part URLs. */
        parts: z.array(presignedPartSchema),
      }),
      expiresAt: instantSchema,
    }),
  ]),
);

/** A page of presigned part URLs for a multipart upload begun by `upload-init`. */
export const MediaUploadParts = defineCommand(
  'media',
  'upload-parts',
  z.object({
    uploadId: idSchema,
    multipartId: z.string().min(1).max(1024),
    fromPart: z.number().int().min(1).max(MULTIPART_MAX_PARTS),
    count: z.number().int().min(1).max(MULTIPART_URLS_PER_PAGE).default(MULTIPART_URLS_PER_PAGE),
  }),
  z.object({ parts: z.array(presignedPartSchema), expiresAt: instantSchema }),
);

/**
 * Validates and ingests what the client PUT to the presigned URL (or, with `multipartId` and `parts`, joins
 * the uploaded parts first); the staging object (or unfinished multipart upload) is removed either way.
 */
export const MediaUploadComplete = defineCommand(
  'media',
  'upload-complete',
  z.object({
    uploadId: idSchema,
    filename: z.string().min(1).max(255),
    tags: z.array(tagSchema).max(50).default([]),
    platforms: z.array(z.string().min(1).max(40)).max(20).default([]),
    multipartId: z.string().min(1).max(1024).optional(),
    parts: z
      .array(z.object({ partNumber: z.number().int().min(1).max(MULTIPART_MAX_PARTS), etag: z.string().min(1).max(200) }))
      .min(1)
      .max(MULTIPART_MAX_PARTS)
      .optional(),
  }),
  ingestResultSchema,
);
