import { z } from 'zod';
import { defineCommand } from '../define';
import { idSchema, instantSchema } from '../common';

/** One message the bus gave up on, as a person sees it (no payload: ids and the reason only). */
export const deadLetterViewSchema = z.object({
  id: z.string(),
  /** The durable consumer that gave up (e.g. `publisher` for dispatches). */
  consumer: z.string(),
  subject: z.string(),
  reason: z.string(),
  deliveryCount: z.number().int(),
  failedAt: instantSchema,
  eventId: z.string(),
  /** The publish job the message is about, when it is about one. */
  jobId: idSchema.nullable(),
  postId: idSchema.nullable(),
});
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;

const deadLetterId = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'not a dead letter id');

/** The workspace's dead letters, oldest first. */
export const SchedulerListDeadLetters = defineCommand(
  'scheduler',
  'listDeadLetters',
  z.object({ limit: z.number().int().min(1).max(500).default(100) }),
  z.object({ items: z.array(deadLetterViewSchema) }),
);

/**
 * Puts a dead letter's message back on its subject (removing it from the dead letters); a job it is about
 * goes back in flight (`dispatched` for a dispatch, `publishing` for an outcome) so the result applies.
 */
export const SchedulerReplayDeadLetter = defineCommand(
  'scheduler',
  'replayDeadLetter',
  z.object({ id: deadLetterId }),
  z.object({ id: z.string(), jobId: idSchema.nullable(), jobState: z.string().nullable() }),
);
