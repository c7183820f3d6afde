import type { RunParams } from '../db/pipeline.entities';
import type { AssetInfo } from '../media/media-port';

export interface StageContext {
  runId: string;
  workspaceId: string;
  correlationId: string;
  pipeline: string;
  params: RunParams;
  /** The asset the run is about (null for runs without one). */
  asset: AssetInfo | null;
  /** Outputs of the stages that already finished in this run, by stage name. */
  outputs: Readonly<Record<string, Record<string, unknown>>>;
  attempt: number;
  /** Appends a line to the stage's log excerpt (kept short; never put secrets here). */
  log(line: string): void;
}

export type StageResult =
  | { status: 'succeeded'; output: Record<string, unknown> }
  /** Nothing to do, or the tool it needs is missing: the reason is shown to people. */
  | { status: 'skipped'; reason: string; output?: Record<string, unknown> };

/** A pipeline step. New stages are Nest providers registered under PIPELINE_STAGES. */
export interface PipelineStage {
  readonly name: string;
  run(ctx: StageContext): Promise<StageResult>;
}

export const PIPELINE_STAGES = Symbol('PIPELINE_STAGES');

/**
 * Thrown by a stage for a failure that will not go away by retrying (bad input, unsupported media).
 * Any other error is retried with backoff up to the stage's attempt limit.
 */
export class PermanentStageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentStageError';
  }
}
