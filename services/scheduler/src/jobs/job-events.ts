import type { EntityManager } from 'typeorm';
import { PostStateChanged, type PublishJobState } from '@sx/contracts';
import { appendToOutbox, buildEnvelope } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import type { JobRow, Tenant } from '../db/rows';
import { rule, type TransitionBy } from './job-lifecycle';
import { jobRepository, type JobFilter, type TransitionedRow, type TransitionOptions, type TransitionPatch } from './job.repository';

/** What every post.* event says about its job. */
export type JobRefRow = Pick<JobRow, 'id' | 'schedule_id' | 'post_id' | 'target_id' | 'account_id' | 'platform' | 'attempt'>;

/** The job reference of post.* events; a task's job (no post, no target) names its schedule and itself. */
export function jobRef(row: JobRefRow): { jobId: string; postId: string; targetId: string; accountId: string; platform: string; attempt: number } {
  return {
    jobId: row.id,
    postId: row.post_id ?? row.schedule_id,
    targetId: row.target_id ?? row.id,
    accountId: row.account_id ?? 'none',
    platform: row.platform,
    attempt: row.attempt,
  };
}

export interface StateChange {
  row: JobRefRow;
  from: PublishJobState;
  to: PublishJobState;
  reason?: string;
}

/**
 * Appends one `post.state.changed` per change to the scheduler's outbox in the caller's transaction, so
 * the event exists exactly when the change committed (the relay publishes it; the dashboard's SSE shows it).
 */
export async function announceStateChanges(
  m: EntityManager,
  t: Tenant & { correlationId?: string },
  changes: StateChange[],
  clock: Clock,
): Promise<void> {
  for (const c of changes) {
    const data = { ...jobRef(c.row), from: c.from, to: c.to, ...(c.reason ? { reason: c.reason } : {}) };
    const meta = { workspaceId: t.workspaceId, correlationId: t.correlationId ?? c.row.id };
    await appendToOutbox(m, 'scheduler', buildEnvelope(PostStateChanged, data, meta, clock));
  }
}

/**
 * A person's (or a task's) transition of jobs, announced: jobRepository.transition plus one
 * `post.state.changed` per job it moved, atomically. Outcomes reported by the publisher do not use
 * this: they are events already (post.published, post.failed, ...).
 */
export async function transitionAnnounced(
  m: EntityManager,
  clock: Clock,
  t: Tenant & { correlationId?: string },
  f: JobFilter,
  name: TransitionBy<'user' | 'task'>,
  patch: TransitionPatch,
  o: TransitionOptions = {},
): Promise<TransitionedRow[]> {
  const moved = await jobRepository.transition(m, t, f, name, patch, clock.nowMs(), o);
  const to = rule(name).to;
  await announceStateChanges(m, t, moved.map((row) => ({ row, from: row.old_state, to, reason: patch.reason ?? undefined })), clock);
  return moved;
}
