import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AlertRaised } from '@sx/contracts';
import { appendToOutbox, buildEnvelope } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import { rows } from '../db/rows';
import type { SchedulerMetrics } from './scheduler-metrics';

interface LateRow {
  id: string;
  workspace_id: string;
  post_id: string | null;
  schedule_id: string;
  platform: string;
  fire_at: Date;
  state: string;
}

/**
 * Raises one `alert.raised` (kind job_late) per job still not done `thresholdMs` after it was due, whatever
 * its state: waiting (pending/armed/retry_wait), in flight (dispatched/publishing: a backlog, a dead
 * publisher, a lost message all look alike to the person waiting for the post) or `unknown` (needs a
 * person). Paused jobs are held on purpose and are not alerted. Every transition clears `alerted_at`, so a
 * job that moves on and is still late is alerted again in its new state.
 * The alert goes through the outbox in the same transaction that marks the job alerted, so it is raised
 * exactly once even with several replicas scanning.
 */
export class LateJobWatchdog {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly thresholdMs: number,
    private readonly metrics: SchedulerMetrics,
  ) {}

  async scan(): Promise<number> {
    const nowMs = this.clock.nowMs();
    return this.db.transaction(async (m) => {
      const late = await rows<LateRow>(
        m,
        // One arm per state, each answerable from its partial index: a single OR over the states made the
        // planner scan the whole job history every turn. Two replicas' watchdogs cannot both alert a job:
        // the second UPDATE waits for the first's row lock, then re-checks alerted_at IS NULL and skips it.
        `UPDATE scheduler.publish_jobs j SET alerted_at = $2
         WHERE j.alerted_at IS NULL AND j.id IN (
           SELECT id FROM (
             (SELECT id, fire_at FROM scheduler.publish_jobs
              WHERE state IN ('pending', 'retry_wait') AND fire_at < $1 AND alerted_at IS NULL ORDER BY fire_at LIMIT 200)
             UNION ALL
             (SELECT id, fire_at FROM scheduler.publish_jobs
              WHERE state = 'armed' AND fire_at < $1 AND alerted_at IS NULL ORDER BY fire_at LIMIT 200)
             UNION ALL
             (SELECT id, fire_at FROM scheduler.publish_jobs
              WHERE state IN ('dispatched', 'publishing', 'unknown') AND fire_at < $1 AND alerted_at IS NULL ORDER BY fire_at LIMIT 200)
           ) late ORDER BY fire_at LIMIT 200)
         RETURNING j.id, j.workspace_id, j.post_id, j.schedule_id, j.platform, j.fire_at, j.state`,
        [new Date(nowMs - this.thresholdMs), new Date(nowMs)],
      );
      for (const job of late) {
        const lateBy = Math.round((nowMs - job.fire_at.getTime()) / 1000);
        const envelope = buildEnvelope(
          AlertRaised,
          {
            alertId: randomUUID(),
            kind: 'job_late',
            severity: lateBy > 600 ? 'critical' : 'warning',
            message: `Job ${job.id} (${job.platform}) is ${lateBy}s past its due time and still ${job.state}${job.state === 'unknown' ? ': check the platform and resolve it' : ''}`,
            ref: { jobId: job.id, scheduleId: job.schedule_id, ...(job.post_id ? { postId: job.post_id } : {}) },
          },
          { workspaceId: job.workspace_id, correlationId: job.id },
          this.clock,
        );
        await appendToOutbox(m, 'scheduler', envelope);
      }
      this.metrics.alerts.inc(late.length);
      return late.length;
    });
  }
}
