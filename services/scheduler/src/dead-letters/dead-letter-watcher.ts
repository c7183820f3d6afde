import type { DataSource, EntityManager } from 'typeorm';
import { AlertRaised } from '@sx/contracts';
import { appendToOutbox, buildEnvelope, type DeadLetter, type EventBus } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import { announceStateChanges } from '../jobs/job-events';
import { jobRepository, type TransitionedRow } from '../jobs/job.repository';
import { rule, type JobTransition } from '../jobs/job-lifecycle';
import { DEAD_LETTERED, refOf } from './dead-letter-ref';

/**
 * Turns what reached the bus's dead letters into something a person sees: a job the message is about
 * leaves its in-flight state (`failed` when its dispatch was never handled, `unknown` when a call may have
 * run or its outcome was not applied) with the reason, and one `alert.raised` (kind dead_letter) is
 * emitted, in the same transaction (so once, whichever replica scans first). Dead letters about no job
 * raise the alert alone (deduped by a deterministic event id).
 */
export class DeadLetterWatcher {
  /** Dead letters this replica already handled (they stay listed until replayed). */
  private readonly handled = new Set<string>();

  constructor(
    private readonly db: DataSource,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  async scan(): Promise<number> {
    const letters = await this.bus.listDeadLetters(500);
    let alerts = 0;
    for (const dl of letters) {
      if (this.handled.has(dl.id)) continue;
      try {
        if (await this.handle(dl)) alerts++;
      } catch (e: unknown) {
        // Another replica appended this alert first (same event id): handled. Anything else: next scan.
        if ((e as { code?: string }).code !== '23505') throw e;
      }
      this.handled.add(dl.id);
    }
    return alerts;
  }

  private async handle(dl: DeadLetter): Promise<boolean> {
    const ref = refOf(dl);
    const workspaceId = dl.envelope.workspaceId;
    const reason = `${DEAD_LETTERED}: ${dl.reason}`.slice(0, 1000);
    return this.db.transaction(async (m) => {
      if (ref.kind === 'other') {
        await this.alert(m, dl, workspaceId, `A ${dl.originalSubject} event was dead-lettered by ${dl.consumer}: ${dl.reason}`, {});
        return true;
      }
      const tenant = { workspaceId, correlationId: dl.envelope.correlationId };
      const filter = { jobId: ref.jobId, attempt: ref.attempt };
      const names: JobTransition[] = ref.kind === 'dispatch' ? ['deadLetterFailed', 'deadLetterUnknown'] : ['deadLetterUnknown'];
      let moved: TransitionedRow[] = [];
      for (const name of names) {
        moved = await jobRepository.transition(m, tenant, filter, name, { reason, lastError: reason }, this.clock.nowMs());
        if (moved.length > 0) {
          await announceStateChanges(m, tenant, moved.map((row) => ({ row, from: row.old_state, to: rule(name).to, reason })), this.clock);
          break;
        }
      }
      if (moved.length === 0) return false; // the job had moved on (or a replica handled it first)
      const job = moved[0];
      await this.alert(m, dl, workspaceId, `The ${dl.originalSubject} message of job ${job.id} was dead-lettered (${dl.reason}); the job is now ${job.state}`, {
        jobId: job.id, scheduleId: job.schedule_id, ...(job.post_id ? { postId: job.post_id } : {}),
      });
      return true;
    });
  }

  private async alert(m: EntityManager, dl: DeadLetter, workspaceId: string, message: string, ref: Record<string, string>): Promise<void> {
    const envelope = buildEnvelope(
      AlertRaised,
      { alertId: `dead-letter-${dl.id}`.slice(0, 64), kind: 'dead_letter', severity: 'critical', message, ref: { ...ref, deadLetterId: dl.id } },
      { workspaceId, correlationId: dl.envelope.correlationId, id: `dead-letter-alert:${dl.consumer}:${dl.id}` },
      this.clock,
    );
    await appendToOutbox(m, 'scheduler', envelope);
  }
}
