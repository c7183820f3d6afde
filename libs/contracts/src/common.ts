import { z } from 'zod';

export const idSchema = z.string().min(1).max(64);
export const instantSchema = z.iso.datetime({ offset: true });
export const ianaZoneSchema = z.string().min(1).max(64);
export const errorClassSchema = z.enum(['retryable', 'rate_limited', 'auth_expired', 'rejected', 'disconnected', 'unknown']);
export type ErrorClass = z.infer<typeof errorClassSchema>;

export const publishJobStateSchema = z.enum([
  'pending',
  'armed',
  'dispatched',
  'publishing',
  'published',
  'retry_wait',
  'failed',
  'cancelled',
  'unknown',
  'paused',
]);
export type PublishJobState = z.infer<typeof publishJobStateSchema>;

/** Keyset page request shared by every list command. */
export const pageRequestSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * Id of the workspace created at first-run setup. Fixed so that single-user installs can route
 * workspace-less inputs (the watch folder) to it without configuration.
 */
export const FIRST_WORKSPACE_ID = '00000000-0000-4000-8000-000000000001';
