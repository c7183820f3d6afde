import { z } from 'zod';
import { defineCommand, defineEvent } from '../define';
import { preflightTargetResultSchema } from './publisher.commands';
import { errorClassSchema, ianaZoneSchema, idSchema, instantSchema, pageOf, pageRequestSchema, publishJobStateSchema, userTimeSchema } from '../common';

const userTime = userTimeSchema;
const platform = z.string().regex(/^[a-z0-9_-]{1,40}$/);
const targetSchema = z.object({ accountId: idSchema, platform });
const ok = z.object({ ok: z.literal(true) });

export const postContentSchema = z.object({
  title: z.string().max(300).optional(),
  text: z.string().max(10_000),
  hashtags: z.array(z.string().max(100)).max(30).default([]),
  mediaIds: z.array(idSchema).max(20).default([]),
  /** Per-platform overrides, e.g. `{ bluesky: { text: '...' } }`. */
  overrides: z.record(platform, z.record(z.string(), z.unknown())).default({}),
  labels: z.array(z.string().max(50)).max(20).default([]),
});

/**
 * An edit of a post's content (PATCH semantics): a field left out keeps its value, `title: null`
 * clears the title, an empty list clears a list. No defaults here — a default would overwrite.
 */
export const postPatchSchema = z.object({
  title: z.string().max(300).nullable().optional(),
  text: z.string().max(10_000).optional(),
  hashtags: z.array(z.string().max(100)).max(30).optional(),
  mediaIds: z.array(idSchema).max(20).optional(),
  overrides: z.record(platform, z.record(z.string(), z.unknown())).optional(),
  labels: z.array(z.string().max(50)).max(20).optional(),
});
export type PostPatch = z.infer<typeof postPatchSchema>;

export const catchUpSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('publish_late'), maxLateMinutes: z.number().int().min(1).max(7 * 24 * 60) }),
  z.object({ mode: z.literal('skip') }),
]);

export const recurrenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: userTime }),
  z.object({ kind: z.literal('rrule'), rule: z.string().min(1).max(500), start: userTime, until: userTime.optional(), count: z.number().int().optional() }),
  z.object({ kind: z.literal('cron'), expression: z.string().min(1).max(120), start: userTime.optional(), until: userTime.optional(), count: z.number().int().optional() }),
]);

export const scheduleActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('publish_post'), postId: idSchema }),
  z.object({ type: z.literal('run_pipeline'), pipeline: z.string().min(1).max(100), params: z.record(z.string(), z.string()).default({}) }),
  z.object({ type: z.literal('call_webhook'), accountId: idSchema, payload: z.record(z.string(), z.unknown()).default({}) }),
]);

export const jobViewSchema = z.object({
  id: idSchema,
  postId: idSchema.nullable(),
  scheduleId: idSchema,
  targetId: idSchema.nullable(),
  accountId: z.string().nullable(),
  platform: z.string(),
  kind: z.enum(['publish', 'pipeline', 'webhook']),
  state: publishJobStateSchema,
  dueAt: instantSchema,
  zone: ianaZoneSchema,
  dueLocal: z.string(),
  attempt: z.number().int(),
  firedAt: instantSchema.nullable(),
  /**
   * When a job that has not fired yet is expected to go out: its due time, or later when a rate budget
   * deferred it (or a retry waits). Null once it fired.
   */
  expectedAt: instantSchema.nullable(),
  lastError: z.string().nullable(),
  errorClass: errorClassSchema.nullable(),
  reason: z.string().nullable(),
  platformPostId: z.string().nullable(),
  url: z.string().nullable(),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const postViewSchema = postContentSchema.extend({
  id: idSchema,
  targets: z.array(targetSchema.extend({ id: idSchema })),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  deletedAt: instantSchema.nullable(),
});
export type PostView = z.infer<typeof postViewSchema>;

export const scheduleViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  recurrence: recurrenceSchema,
  zone: ianaZoneSchema,
  action: scheduleActionSchema,
  catchUp: catchUpSchema,
  paused: z.boolean(),
  nextRunAt: instantSchema.nullable(),
  /** When an occurrence last fired, and how many have fired (seed 003's "last run" and run count). */
  lastRunAt: instantSchema.nullable().default(null),
  runCount: z.number().int().nonnegative().default(0),
  createdAt: instantSchema,
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

const executionSchema = z.object({
  id: z.string(),
  jobId: idSchema,
  at: instantSchema,
  from: z.string().nullable(),
  to: z.string(),
  attempt: z.number().int(),
  detail: z.string().nullable(),
});

const idRequest = z.object({ id: idSchema });
/** When to publish: at a time, into each account's next free slot, or now. */
const whenSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('at'), at: userTime }),
  z.object({ mode: z.literal('next_slot') }),
  z.object({ mode: z.literal('now') }),
]);

// Posts
export const SchedulerCreatePost = defineCommand('scheduler', 'createPost', postContentSchema.extend({ targets: z.array(targetSchema).max(50) }), postViewSchema);
export const SchedulerListPosts = defineCommand('scheduler', 'listPosts', pageRequestSchema.extend({ includeDeleted: z.boolean().default(false), label: z.string().optional() }), pageOf(postViewSchema));
export const SchedulerGetPost = defineCommand('scheduler', 'getPost', idRequest, z.object({ post: postViewSchema, jobs: z.array(jobViewSchema), history: z.array(executionSchema) }));
export const SchedulerUpdatePost = defineCommand('scheduler', 'updatePost', postPatchSchema.extend({ id: idSchema }), postViewSchema);
export const SchedulerDeletePost = defineCommand('scheduler', 'deletePost', idRequest, z.object({ id: idSchema, cancelledJobs: z.number().int() }));
export const SchedulerRestorePost = defineCommand('scheduler', 'restorePost', idRequest, postViewSchema);

// Scheduling a post
export const SchedulerSchedulePost = defineCommand(
  'scheduler',
  'schedulePost',
  z.object({
    postId: idSchema.optional(),
    post: postContentSchema.extend({ targets: z.array(targetSchema).max(50) }).optional(),
    when: whenSchema,
    zone: ianaZoneSchema,
    catchUp: catchUpSchema.default({ mode: 'publish_late', maxLateMinutes: 60 }),
  }),
  z.object({ postId: idSchema, scheduleId: idSchema, jobs: z.array(jobViewSchema) }),
);
export const SchedulerReschedulePost = defineCommand('scheduler', 'reschedulePost', z.object({ id: idSchema, at: userTime, zone: ianaZoneSchema }), z.object({ jobs: z.array(jobViewSchema) }));
/** Post again: the explicit re-publish of a post (published or not) to all its targets, now or at a time. */
export const SchedulerPostAgain = defineCommand(
  'scheduler',
  'postAgain',
  z.object({
    id: idSchema,
    when: whenSchema.default({ mode: 'now' }),
    zone: ianaZoneSchema.default('UTC'),
    catchUp: catchUpSchema.default({ mode: 'publish_late', maxLateMinutes: 60 }),
  }),
  z.object({ postId: idSchema, scheduleId: idSchema, jobs: z.array(jobViewSchema) }),
);
/**
 * Seed 000's `PATCH /api/scheduled-posts/{id}`: change a scheduled post's time, content or target
 * accounts in one edit (every field optional, absent = unchanged). A new time or new targets re-plan the
 * post's unfired one-off jobs; `zone` without `at` re-reads the current wall time in the new zone.
 */
export const SchedulerPatchScheduledPost = defineCommand(
  'scheduler',
  'patchScheduledPost',
  postPatchSchema.extend({ id: idSchema, at: userTime.optional(), zone: ianaZoneSchema.optional(), targets: z.array(targetSchema).min(1).max(50).optional() }),
  z.object({ post: postViewSchema, jobs: z.array(jobViewSchema) }),
);
/**
 * The pre-flight check without storing anything (the composer's live counters and rule list): a stored
 * post by id, or an inline post with targets; `when` + `zone` also check daily caps for that instant.
 */
export const SchedulerValidatePost = defineCommand(
  'scheduler',
  'validatePost',
  z.object({
    postId: idSchema.optional(),
    post: postContentSchema.extend({ targets: z.array(targetSchema).min(1).max(50) }).optional(),
    when: whenSchema.optional(),
    zone: ianaZoneSchema.default('UTC'),
  }),
  z.object({ ok: z.boolean(), targets: z.array(preflightTargetResultSchema) }),
);
export const SchedulerCancelPost = defineCommand('scheduler', 'cancelPost', idRequest, z.object({ cancelledJobs: z.number().int() }));
export const SchedulerForcePost = defineCommand('scheduler', 'forcePost', idRequest, z.object({ jobs: z.array(jobViewSchema) }));
/** Jobs by due time; optional `from` / `to` (inclusive instants with offset) bound the due time, e.g. a calendar's visible range. */
export const SchedulerListJobs = defineCommand(
  'scheduler',
  'listJobs',
  pageRequestSchema.extend({ state: publishJobStateSchema.optional(), postId: idSchema.optional(), from: instantSchema.optional(), to: instantSchema.optional() }),
  pageOf(jobViewSchema),
);
export const SchedulerUpcoming = defineCommand('scheduler', 'upcoming', z.object({ hours: z.number().min(0.1).max(24 * 31).default(24), limit: z.number().int().min(1).max(500).default(100) }), z.object({ items: z.array(jobViewSchema) }));
export const SchedulerRetryJob = defineCommand('scheduler', 'retryJob', idRequest, jobViewSchema);
export const SchedulerResolveUnknown = defineCommand(
  'scheduler',
  'resolveUnknown',
  z.discriminatedUnion('outcome', [
    z.object({ id: idSchema, outcome: z.literal('published'), platformPostId: z.string().min(1), url: z.url() }),
    z.object({ id: idSchema, outcome: z.literal('failed'), note: z.string().max(500).optional() }),
  ]),
  jobViewSchema,
);
export const SchedulerStats = defineCommand(
  'scheduler',
  'stats',
  z.object({ zone: ianaZoneSchema.default('UTC') }),
  z.object({ total: z.number(), pending: z.number(), running: z.number(), stuck: z.number(), published: z.number(), failed: z.number(), unknown: z.number(), postingToday: z.number(), publishedToday: z.number() }),
);
export const SchedulerRun = defineCommand('scheduler', 'run', z.object({}), z.object({ materialized: z.number(), claimed: z.number() }));

// Recurring schedules ("tasks")
const taskInput = z.object({ name: z.string().min(1).max(120), recurrence: recurrenceSchema, zone: ianaZoneSchema, action: scheduleActionSchema, catchUp: catchUpSchema.default({ mode: 'publish_late', maxLateMinutes: 60 }), paused: z.boolean().default(false) });
export const SchedulerCreateTask = defineCommand('scheduler', 'createTask', taskInput, scheduleViewSchema);
/** `paused` filters by state, `q` finds names containing it (case-insensitive). */
export const SchedulerListTasks = defineCommand(
  'scheduler',
  'listTasks',
  pageRequestSchema.extend({ paused: z.boolean().optional(), q: z.string().min(1).max(120).optional() }),
  pageOf(scheduleViewSchema),
);
export const SchedulerGetTask = defineCommand('scheduler', 'getTask', idRequest, scheduleViewSchema);
/** PUT: a full replacement, every field required (no defaults, so nothing is silently reset). */
export const taskReplaceSchema = taskInput.extend({ catchUp: catchUpSchema, paused: z.boolean() });
export const SchedulerUpdateTask = defineCommand('scheduler', 'updateTask', taskReplaceSchema.extend({ id: idSchema }), scheduleViewSchema);
/** PATCH: absent = unchanged. Only `name` / `paused` → updated in place; anything else re-plans the unfired jobs. */
export const SchedulerPatchTask = defineCommand(
  'scheduler',
  'patchTask',
  z.object({
    id: idSchema,
    name: z.string().min(1).max(120).optional(),
    recurrence: recurrenceSchema.optional(),
    zone: ianaZoneSchema.optional(),
    action: scheduleActionSchema.optional(),
    catchUp: catchUpSchema.optional(),
    paused: z.boolean().optional(),
  }),
  scheduleViewSchema,
);
export const SchedulerDeleteTask = defineCommand('scheduler', 'deleteTask', idRequest, ok);
export const SchedulerPauseTask = defineCommand('scheduler', 'pauseTask', idRequest, scheduleViewSchema);
export const SchedulerResumeTask = defineCommand('scheduler', 'resumeTask', idRequest, scheduleViewSchema);
export const SchedulerExecuteTask = defineCommand('scheduler', 'executeTask', idRequest, z.object({ jobs: z.array(jobViewSchema) }));
export const SchedulerTaskExecutions = defineCommand('scheduler', 'taskExecutions', pageRequestSchema.extend({ id: idSchema }), pageOf(executionSchema));
export const SchedulerPreviewRecurrence = defineCommand(
  'scheduler',
  'previewRecurrence',
  z.object({ recurrence: recurrenceSchema, zone: ianaZoneSchema, count: z.number().int().min(1).max(100).default(10), after: instantSchema.optional() }),
  z.object({ occurrences: z.array(z.object({ at: instantSchema, local: z.string() })) }),
);

// Slots (seed: get_next_slot / space_videos)
const slotConfigSchema = z.object({
  accountId: idSchema,
  zone: ianaZoneSchema,
  times: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)).min(1).max(48),
  spacingMinutes: z.number().int().min(0).max(7 * 24 * 60),
});
export const SchedulerGetSlots = defineCommand('scheduler', 'getSlots', z.object({ accountId: idSchema }), slotConfigSchema);
export const SchedulerSetSlots = defineCommand('scheduler', 'setSlots', slotConfigSchema, slotConfigSchema);
export const SchedulerNextSlots = defineCommand(
  'scheduler',
  'nextSlots',
  z.object({ accountId: idSchema, count: z.number().int().min(1).max(100).default(1) }),
  z.object({ slots: z.array(z.object({ at: instantSchema, local: z.string() })) }),
);
/** Workspace scheduling settings. `defaultPostTimeOffsetMinutes` (seed 001's default_post_time_offset): next-free-slot scheduling falls back to now + this when an account has no free slot. */
const workspaceSettingsSchema = z.object({ defaultPostTimeOffsetMinutes: z.number().int().min(0).max(7 * 24 * 60) });
export const SchedulerGetSettings = defineCommand('scheduler', 'getSettings', z.object({}), workspaceSettingsSchema);
export const SchedulerPatchSettings = defineCommand('scheduler', 'patchSettings', workspaceSettingsSchema.partial(), workspaceSettingsSchema);
export const SchedulerSpacePosts = defineCommand(
  'scheduler',
  'spacePosts',
  z.object({ postIds: z.array(idSchema).min(1).max(100), catchUp: catchUpSchema.default({ mode: 'publish_late', maxLateMinutes: 60 }) }),
  z.object({ scheduled: z.array(z.object({ postId: idSchema, jobs: z.array(jobViewSchema) })) }),
);

/** Scheduler → pipeline: a recurring schedule's "run a pipeline" action fired. Id = `${jobId}:${attempt}`. */
export const PipelineRunRequested = defineEvent(
  'pipeline.run.requested',
  1,
  'PIPELINE',
  z.object({ jobId: idSchema, scheduleId: idSchema, pipeline: z.string(), params: z.record(z.string(), z.string()), dueAt: instantSchema, firedAt: instantSchema }),
);
