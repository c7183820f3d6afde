import { z } from 'zod';
import { defineCommand } from '../define';
import { idSchema, instantSchema, pageRequestSchema } from '../common';
import { jobViewSchema, postViewSchema } from './scheduler.commands';

/**
 * Read models for the dashboard's schedule screens, computed by the scheduler so a workspace of any
 * size is paged and filtered on the server (issue #17.3).
 *
 * A post's status is the most attention-worthy state among its *current* jobs — per target, the next
 * unfinished job, else the latest finished one — so a job replaced by a reschedule or a "post again"
 * no longer colours the post. `draft`: a post with no job at all.
 */
export const postFeedStatusSchema = z.enum(['draft', 'pending', 'paused', 'retry_wait', 'publishing', 'published', 'failed', 'unknown', 'cancelled']);
export type PostFeedStatus = z.infer<typeof postFeedStatusSchema>;

const platform = z.string().regex(/^[a-z0-9_-]{1,40}$/);

export const postFeedItemSchema = z.object({
  post: postViewSchema,
  status: postFeedStatusSchema,
  /** The instant the post is listed under: its next unfinished job, else its latest one, else its creation. */
  dueAt: instantSchema,
  /** The post's current jobs (see above), by due time. */
  jobs: z.array(jobViewSchema),
});
export type PostFeedItem = z.infer<typeof postFeedItemSchema>;

/** Keyset page of posts by (dueAt, id); every filter is applied before paging. */
export const SchedulerPostFeed = defineCommand(
  'scheduler',
  'postFeed',
  pageRequestSchema.extend({
    status: postFeedStatusSchema.optional(),
    platform: platform.optional(),
    /** Case-insensitive substring of title, text or hashtags. */
    q: z.string().max(200).optional(),
    includeDeleted: z.boolean().default(false),
  }),
  z.object({ items: z.array(postFeedItemSchema), nextCursor: z.string().nullable(), total: z.number().int().nonnegative() }),
);

/** What one calendar chip needs, nothing more: one per post and due instant in the range. */
export const calendarChipSchema = z.object({
  postId: idSchema,
  dueAt: instantSchema,
  zone: z.string(),
  status: postFeedStatusSchema,
  /** Title, or the first 80 characters of the text. */
  label: z.string(),
  platforms: z.array(z.string()),
});
export type CalendarChip = z.infer<typeof calendarChipSchema>;

export const CALENDAR_MAX_CHIPS = 20_000;
/** A calendar shows at most six weeks; a little more leaves room for zone offsets at both ends. */
export const CALENDAR_MAX_RANGE_DAYS = 45;

/**
 * Every chip whose due instant lies in [from, to], by due time. An occurrence whose jobs were all
 * cancelled is left out when the post lives on elsewhere (it was rescheduled, not cancelled).
 */
export const SchedulerCalendarRange = defineCommand(
  'scheduler',
  'calendarRange',
  z.object({ from: instantSchema, to: instantSchema }),
  z.object({ items: z.array(calendarChipSchema), truncated: z.boolean() }),
);
