import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { appendToOutbox, buildEnvelope } from '@sx/bus';
import { PipelineRunFinished, PipelineRunStarted, PipelineStageChanged, type EventData, type EventDefinition } from '@sx/contracts';
import type { Clock } from '@sx/service-kit';
import { PIPELINE_SCHEMA, RunEntity, StageRunEntity, type RunParams, type RunStatus, type RunTrigger } from '../db/pipeline.entities';

export interface NewRun {
  pipeline: string;
  assetId: string | null;
  stages: string[];
  params: RunParams;
}

export interface ClaimedRun {
  run: RunEntity;
  stages: StageRunEntity[];
  /** Fencing token: every write of this claim is checked against it. */
  token: string;
}

/** Raised when a write is attempted under a lease another worker has since taken over. */
export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`lease on pipeline run ${runId} was lost`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Runs and stage runs. Workers claim runnable runs with FOR UPDATE SKIP LOCKED under a lease; each
 * write of a claim is fenced by the lease token, and every state change writes its event to the outbox
 * in the same transaction.
 */
export class RunsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues runs. With `triggerRef` (the id of the event that caused them) a repeated call creates
   * nothing and returns no ids: event redeliveries never start a second run.
   */
  async create(workspaceId: string, correlationId: string, trigger: RunTrigger, runs: NewRun[], triggerRef?: string): Promise<string[]> {
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const ids: string[] = [];
      for (const [i, r] of runs.entries()) {
        const id = randomUUID();
        const ref = triggerRef ? `${triggerRef}#${i}` : null;
        const inserted: unknown[] = await m.query(
          `INSERT INTO pipeline.runs (id, workspace_id, pipeline, asset_id, status, trigger, params, correlation_id, trigger_ref,
                                     created_at, next_run_at)
           VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $9)
           ON CONFLICT (trigger_ref) DO NOTHING RETURNING id`,
          [id, workspaceId, r.pipeline, r.assetId, trigger, JSON.stringify(r.params), correlationId, ref, now],
        );
        if (!inserted.length) continue;
        ids.push(id);
        await m.insert(StageRunEntity, r.stages.map((stage, position) => ({ runId: id, stage, position, status: 'pending' as const })));
      }
      return ids;
    });
  }

  /** Takes the oldest runnable run whose lease is free or expired. */
  async claim(owner: string, leaseMs: number): Promise<ClaimedRun | null> {
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `SELECT id FROM pipeline.runs
          WHERE status IN ('queued','running') AND next_run_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
          ORDER BY next_run_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!rows.length) return null;
      const id = rows[0].id;
      const firstStart = (await m.findOneByOrFail(RunEntity, { id })).startedAt === null;
      await m.query(
        `UPDATE pipeline.runs SET status = 'running', lease_owner = $2, lease_until = $3, lease_token = lease_token + 1,
                started_at = COALESCE(started_at, $4) WHERE id = $1`,
        [id, owner, new Date(now.getTime() + leaseMs), now],
      );
      const run = await m.findOneByOrFail(RunEntity, { id });
      if (firstStart) await this.emit(m, run, PipelineRunStarted, { runId: id, pipeline: run.pipeline, ...assetOf(run), status: 'running' });
      const stages = await m.find(StageRunEntity, { where: { runId: id }, order: { position: 'ASC' } });
      return { run, stages, token: run.leaseToken };
    });
  }

  async renew(claim: ClaimedRun, leaseMs: number): Promise<void> {
    await this.fenced(claim, async (m) => {
      await m.update(RunEntity, { id: claim.run.id }, { leaseUntil: new Date(this.clock.nowMs() + leaseMs) });
    });
  }

  async stageStarted(claim: ClaimedRun, stage: StageRunEntity): Promise<void> {
    await this.fenced(claim, async (m) => {
      stage.status = 'running';
      stage.attempts += 1;
      stage.startedAt = this.clock.now();
      stage.nextAttemptAt = null;
      await m.update(StageRunEntity, { runId: stage.runId, stage: stage.stage }, { status: 'running', attempts: stage.attempts, startedAt: stage.startedAt, nextAttemptAt: null });
      await this.emitStage(m, claim.run, stage);
    });
  }

  /** Records a finished attempt: succeeded, skipped, failed for good, or pending again with a retry time. */
  async stageFinished(claim: ClaimedRun, stage: StageRunEntity, patch: Partial<StageRunEntity>): Promise<void> {
    await this.fenced(claim, async (m) => {
      Object.assign(stage, patch, { finishedAt: this.clock.now() });
      await m.query(
        `UPDATE pipeline.stage_runs SET status = $3, finished_at = $4, log = $5, error = $6, output = $7, next_attempt_at = $8
          WHERE run_id = $1 AND stage = $2`,
        [stage.runId, stage.stage, stage.status, stage.finishedAt, stage.log, stage.error, JSON.stringify(stage.output ?? {}), stage.nextAttemptAt],
      );
      if (stage.nextAttemptAt) {
        await m.update(RunEntity, { id: claim.run.id }, { nextRunAt: stage.nextAttemptAt, leaseOwner: null, leaseUntil: null });
      }
      await this.emitStage(m, claim.run, stage);
    });
  }

  async finish(claim: ClaimedRun, status: Extract<RunStatus, 'succeeded' | 'failed'>, error: string | null): Promise<void> {
    await this.fenced(claim, async (m) => {
      await m.update(RunEntity, { id: claim.run.id }, { status, error, finishedAt: this.clock.now(), leaseOwner: null, leaseUntil: null });
      await this.emit(m, claim.run, PipelineRunFinished, { runId: claim.run.id, pipeline: claim.run.pipeline, ...assetOf(claim.run), status });
    });
  }

  /** Puts a finished or failed run back in the queue from `stage` on (or its first unfinished stage). */
  async retry(workspaceId: string, runId: string, stage?: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const run = await m.findOne(RunEntity, { where: { id: runId, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!run) return false;
      const stages = await m.find(StageRunEntity, { where: { runId }, order: { position: 'ASC' } });
      const from = stage ? stages.find((s) => s.stage === stage) : stages.find((s) => s.status !== 'succeeded' && s.status !== 'skipped');
      if (!from) return true;
      await m.query(
        `UPDATE pipeline.stage_runs SET status = 'pending', error = NULL, next_attempt_at = NULL, attempts = 0
          WHERE run_id = $1 AND position >= $2`,
        [runId, from.position],
      );
      await m.update(RunEntity, { id: runId }, { status: 'queued', error: null, finishedAt: null, nextRunAt: this.clock.now(), leaseOwner: null, leaseUntil: null });
      return true;
    });
  }

  private async fenced(claim: ClaimedRun, fn: (m: EntityManager) => Promise<void>): Promise<void> {
    await this.db.transaction(async (m) => {
      const rows: unknown[] = await m.query(`SELECT 1 FROM pipeline.runs WHERE id = $1 AND lease_token = $2 FOR UPDATE`, [claim.run.id, claim.token]);
      if (!rows.length) throw new LeaseLostError(claim.run.id);
      await fn(m);
    });
  }

  private async emitStage(m: EntityManager, run: RunEntity, s: StageRunEntity): Promise<void> {
    await this.emit(m, run, PipelineStageChanged, {
      runId: run.id, stage: s.stage, status: s.status, attempt: s.attempts, ...(s.error ? { error: s.error } : {}),
    });
  }

  private async emit<D extends EventDefinition>(m: EntityManager, run: RunEntity, def: D, data: EventData<D>): Promise<void> {
    const envelope = buildEnvelope(def, data, { workspaceId: run.workspaceId, correlationId: run.correlationId }, this.clock);
    await appendToOutbox(m, PIPELINE_SCHEMA, envelope);
  }
}

function assetOf(run: RunEntity): { assetId?: string } {
  return run.assetId ? { assetId: run.assetId } : {};
}
