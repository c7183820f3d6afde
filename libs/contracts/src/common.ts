import { z } from 'zod';

export const idSchema = z.string().min(1).max(64);
/** ±14:00 is the widest UTC offset any place uses (Pacific/Kiritimati); beyond it no clock reads that time. */
export const MAX_UTC_OFFSET_MINUTES = 14 * 60;
const TRAILING_OFFSET = /T[\d:.]+([+-])(\d{2}):?(\d{2})$/;

/** False for a date-time whose trailing offset is out of range (`+99:99`, `+25:00`, `-24:00`, `+05:60`). */
export function utcOffsetInRange(value: string): boolean {
  const m = TRAILING_OFFSET.exec(value);
  if (!m) return true; // `Z`, or a wall time without offset
  const minutes = Number(m[3]);
  return minutes < 60 && Number(m[2]) * 60 + minutes <= MAX_UTC_OFFSET_MINUTES;
}
const offsetRule = { message: 'The UTC offset must be between -14:00 and +14:00' };

export const instantSchema = z.iso.datetime({ offset: true }).refine(utcOffsetInRange, offsetRule);
/** A time as the user wrote it: with an offset (at most ±14:00) it is an instant, without one a wall time in its zone. */
export const userTimeSchema = z.string().min(10).max(40).refine(utcOffsetInRange, offsetRule);
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
