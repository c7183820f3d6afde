import type { Logger } from 'pino';
import type { Clock } from '@sx/service-kit';
import type { StageRunEntity } from '../db/pipeline.entities';
import type { AssetInfo, MediaPort } from '../media/media-port';
import { PermanentStageError, type PipelineStage, type StageContext } from '../stages/pipeline-stage';
import { LeaseLostError, type ClaimedRun, type RunsRepository } from './runs.repository';

export interface ExecutorOptions {
  maxAttempts: number;
  leaseMs: number;
}

export type ExecutionOutcome = 'succeeded' | 'failed' | 'deferred' | 'lease_lost';

const LOG_LIMIT = 4_000;

/**
 * Runs the unfinished stages of a claimed run in order. Finished stages are never redone, so a run
 * whose worker died resumes where it stopped. A failing stage is retried with exponential backoff
 * (the run goes back to the queue with a due time) up to `maxAttempts`; the asset is never touched.
 */
export class RunExecutor {
  constructor(
    private readonly repo: RunsRepository,
    private readonly stages: ReadonlyMap<string, PipelineStage>,
    private readonly media: MediaPort,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: ExecutorOptions,
  ) {}

  async execute(claim: ClaimedRun): Promise<ExecutionOutcome> {
    const renewal = setInterval(() => void this.repo.renew(claim, this.opts.leaseMs).catch(() => undefined), this.opts.leaseMs / 3);
    renewal.unref();
    try {
      return await this.runStages(claim);
    } catch (e) {
      if (e instanceof LeaseLostError) {
        this.logger.warn({ runId: claim.run.id }, 'lease lost: another worker took the run over');
        return 'lease_lost';
      }
      throw e;
    } finally {
      clearInterval(renewal);
    }
  }

  private async runStages(claim: ClaimedRun): Promise<ExecutionOutcome> {
    const outputs: Record<string, Record<string, unknown>> = {};
    for (const s of claim.stages) if (s.status === 'succeeded' || s.status === 'skipped') outputs[s.stage] = s.output;
    let asset: AssetInfo | null = null;
    for (const stage of claim.stages) {
      if (stage.status === 'succeeded' || stage.status === 'skipped') continue;
      const impl = this.stages.get(stage.stage);
      if (!impl) return this.fail(claim, stage, `stage "${stage.stage}" is not installed`);
      if (claim.run.assetId && !asset) {
        try {
          asset = await this.media.describe(claim.run.workspaceId, claim.run.assetId, claim.run.correlationId);
        } catch (e) {
          return this.attemptFailed(claim, stage, e, []);
        }
      }
      await this.repo.stageStarted(claim, stage);
      const lines: string[] = [];
      const ctx: StageContext = {
        runId: claim.run.id,
        workspaceId: claim.run.workspaceId,
        correlationId: claim.run.correlationId,
        pipeline: claim.run.pipeline,
        params: claim.run.params,
        asset,
        outputs,
        attempt: stage.attempts,
        log: (line) => lines.push(`${this.clock.now().toISOString()} ${line}`),
      };
      try {
        const result = await impl.run(ctx);
        const output = result.output ?? {};
        if (result.status === 'skipped') lines.push(`skipped: ${result.reason}`);
        await this.repo.stageFinished(claim, stage, {
          status: result.status,
          output: result.status === 'skipped' ? { ...output, skippedReason: result.reason } : output,
          log: excerpt(stage.log, lines),
          error: null,
          nextAttemptAt: null,
        });
        outputs[stage.stage] = output;
      } catch (e) {
        if (e instanceof LeaseLostError) throw e;
        return this.attemptFailed(claim, stage, e, lines);
      }
    }
    await this.repo.finish(claim, 'succeeded', null);
    return 'succeeded';
  }

  private async attemptFailed(claim: ClaimedRun, stage: StageRunEntity, e: unknown, lines: string[]): Promise<ExecutionOutcome> {
    const message = e instanceof Error ? e.message : String(e);
    const permanent = e instanceof PermanentStageError;
    const attempts = Math.max(stage.attempts, 1);
    if (permanent || attempts >= this.opts.maxAttempts) {
      lines.push(`failed after ${attempts} attempt(s): ${message}`);
      return this.fail(claim, stage, message, lines);
    }
    const retryAt = new Date(this.clock.nowMs() + backoffMs(attempts, claim.run.id));
    lines.push(`attempt ${attempts} failed: ${message}; retrying at ${retryAt.toISOString()}`);
    await this.repo.stageFinished(claim, stage, { status: 'pending', error: message, log: excerpt(stage.log, lines), nextAttemptAt: retryAt });
    return 'deferred';
  }

  private async fail(claim: ClaimedRun, stage: StageRunEntity, message: string, lines: string[] = []): Promise<ExecutionOutcome> {
    await this.repo.stageFinished(claim, stage, { status: 'failed', error: message, log: excerpt(stage.log, lines), nextAttemptAt: null });
    await this.repo.finish(claim, 'failed', `stage ${stage.stage}: ${message}`);
    return 'failed';
  }
}

/** 2 s, 4 s, 8 s … capped at 5 min, with a ±20 % jitter derived from the run id (deterministic per run). */
export function backoffMs(attempt: number, seed: string): number {
  const base = Math.min(2_000 * 2 ** (attempt - 1), 300_000);
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) | 0;
  const jitter = ((Math.abs(h) % 401) - 200) / 1000;
  return Math.round(base * (1 + jitter));
}

function excerpt(previous: string, lines: string[]): string {
  const text = [previous, ...lines].filter(Boolean).join('\n');
  return text.length <= LOG_LIMIT ? text : `…${text.slice(text.length - LOG_LIMIT + 1)}`;
}
