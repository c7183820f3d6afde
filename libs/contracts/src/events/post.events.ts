import { z } from 'zod';
import { defineEvent } from '../define';
import { errorClassSchema, idSchema, instantSchema, publishJobStateSchema } from '../common';

const jobRef = z.object({
  jobId: idSchema,
  postId: idSchema,
  targetId: idSchema,
  accountId: idSchema,
  platform: z.string(),
  attempt: z.number().int().nonnegative(),
});

/** Scheduler → publisher: fire this job now. Nats-Msg-Id = `${jobId}:${attempt}`. */
export const DispatchRequested = defineEvent(
  'dispatch.*',
  1,
  'DISPATCH',
  jobRef.extend({
    fencingToken: z.number().int().nonnegative(),
    dueAt: instantSchema,
    firedAt: instantSchema,
    content: z.object({
      title: z.string().optional(),
      text: z.string(),
      hashtags: z.array(z.string()).default([]),
      mediaIds: z.array(idSchema).default([]),
      settings: z.record(z.string(), z.unknown()).default({}),
    }),
  }),
);

export const PostScheduled = defineEvent(
  'post.scheduled',
  1,
  'POSTS',
  z.object({ postId: idSchema, jobs: z.array(jobRef.extend({ dueAt: instantSchema })) }),
);
export const PostStateChanged = defineEvent(
  'post.state.changed',
  1,
  'POSTS',
  jobRef.extend({ from: publishJobStateSchema, to: publishJobStateSchema, reason: z.string().optional() }),
);
/** `publisherId`: the publisher process making the call; while its liveness lock is held, nobody else reconciles the attempt. */
export const PostPublishing = defineEvent('post.publishing', 1, 'POSTS', jobRef.extend({ idempotencyKey: z.string(), publisherId: z.string().max(200).optional() }));
export const PostPublished = defineEvent(
  'post.published',
  1,
  'POSTS',
  jobRef.extend({ platformPostId: z.string().min(1), url: z.url(), publishedAt: instantSchema }),
);
export const PostFailed = defineEvent(
  'post.failed',
  1,
  'POSTS',
  jobRef.extend({ errorClass: errorClassSchema, message: z.string() }),
);
export const PostRetrying = defineEvent(
  'post.retrying',
  1,
  'POSTS',
  jobRef.extend({ errorClass: errorClassSchema, message: z.string(), retryAt: instantSchema }),
);
/**
 * Publisher → scheduler: the account's rate budget holds this dispatch back; nothing was sent and no
 * attempt was journaled. The scheduler re-arms the job for `until` (no bus delivery is spent waiting).
 */
export const PostDeferred = defineEvent(
  'post.deferred',
  1,
  'POSTS',
  jobRef.extend({ until: instantSchema, reason: z.string() }),
);
export const PostUnknown = defineEvent('post.unknown', 1, 'POSTS', jobRef.extend({ message: z.string() }));
