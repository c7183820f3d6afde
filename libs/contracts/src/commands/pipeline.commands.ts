import { z } from 'zod';
import { defineCommand } from '../define';
import { idSchema, instantSchema, pageOf, pageRequestSchema } from '../common';

export const stageStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']);
export const runStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const stageRunSchema = z.object({
  stage: z.string(),
  position: z.number().int(),
  status: stageStatusSchema,
  attempts: z.number().int(),
  startedAt: instantSchema.nullable(),
  finishedAt: instantSchema.nullable(),
  nextAttemptAt: instantSchema.nullable(),
  log: z.string(),
  error: z.string().nullable(),
  output: z.record(z.string(), z.unknown()),
});

export const pipelineRunSchema = z.object({
  id: idSchema,
  pipeline: z.string(),
  assetId: idSchema.nullable(),
  status: runStatusSchema,
  trigger: z.enum(['event', 'manual', 'schedule', 'import']),
  createdAt: instantSchema,
  startedAt: instantSchema.nullable(),
  finishedAt: instantSchema.nullable(),
  error: z.string().nullable(),
  stages: z.array(stageRunSchema),
});
export type PipelineRunView = z.infer<typeof pipelineRunSchema>;

/** The seeds' "Run pipeline": the whole pipeline or one stage, for one asset or a selection. */
export const PipelineRun = defineCommand(
  'pipeline',
  'run',
  z.object({
    pipeline: z.string().min(1).max(100).default('default'),
    assetIds: z.array(idSchema).min(1).max(200),
    stage: z.string().min(1).max(100).optional(),
    platforms: z.array(z.string().regex(/^[a-z0-9_-]{1,40}$/)).max(20).optional(),
    autoSchedule: z.boolean().default(false),
    gameContext: z.string().max(500).optional(),
  }),
  z.object({ runs: z.array(pipelineRunSchema) }),
);

export const PipelineListRuns = defineCommand(
  'pipeline',
  'runs.list',
  pageRequestSchema.extend({ status: runStatusSchema.optional(), assetId: idSchema.optional() }),
  pageOf(pipelineRunSchema),
);
export const PipelineGetRun = defineCommand('pipeline', 'runs.get', z.object({ id: idSchema }), pipelineRunSchema);
export const PipelineRetryStage = defineCommand(
  'pipeline',
  'runs.retry',
  z.object({ id: idSchema, stage: z.string().min(1).max(100).optional() }),
  pipelineRunSchema,
);
export const PipelineList = defineCommand(
  'pipeline',
  'definitions.list',
  z.object({}),
  z.object({ pipelines: z.array(z.object({ name: z.string(), stages: z.array(z.string()) })), stages: z.array(z.string()) }),
);

const importRowReport = z.object({
  row: z.number().int(),
  ok: z.boolean(),
  errors: z.array(z.string()),
  post: z
    .object({ text: z.string(), platforms: z.array(z.string()), at: instantSchema, zone: z.string(), media: z.string().nullable() })
    .nullable(),
});

/** The seeds' spreadsheet stages: CSV or XLSX of posts, validated row by row; `dryRun` stores nothing. */
export const PipelineBulkImport = defineCommand(
  'pipeline',
  'import',
  z.object({
    format: z.enum(['csv', 'xlsx']),
    /** File content, base64 (the gateway caps the request size). */
    contentBase64: z.string().min(1).max(14_000_000),
    dryRun: z.boolean().default(true),
    defaultZone: z.string().max(64).default('UTC'),
  }),
  z.object({
    dryRun: z.boolean(),
    total: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    rows: z.array(importRowReport),
    imported: z.array(z.object({ row: z.number().int(), postId: idSchema })),
  }),
);
