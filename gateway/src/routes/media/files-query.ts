import { z } from 'zod';
import { assetKindSchema, assetStatusSchema, mediaSortSchema } from '@sx/contracts';

const csv = z
  .string()
  .max(1000)
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** `GET /api/files` query string, turned into the MediaList request (which validates it again). */
export const filesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  kind: assetKindSchema.optional(),
  status: assetStatusSchema.optional(),
  platform: z.string().min(1).max(40).optional(),
  tags: csv.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().min(1).max(200).optional(),
  deleted: z.enum(['exclude', 'only', 'include']).default('exclude'),
  sort: mediaSortSchema.default('created_desc'),
});
export type FilesQuery = z.infer<typeof filesQuerySchema>;
