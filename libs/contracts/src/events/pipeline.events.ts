import { z } from 'zod';
import { defineEvent } from '../define';
import { idSchema } from '../common';

const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
const run = z.object({ runId: idSchema, pipeline: z.string(), assetId: idSchema.optional(), status: runStatus });
const stage = z.object({
  runId: idSchema,
  stage: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  attempt: z.number().int().nonnegative(),
  error: z.string().optional(),
});

export const PipelineRunStarted = defineEvent('pipeline.run.started', 1, 'PIPELINE', run);
export const PipelineRunFinished = defineEvent('pipeline.run.finished', 1, 'PIPELINE', run);
export const PipelineStageChanged = defineEvent('pipeline.stage.changed', 1, 'PIPELINE', stage);
