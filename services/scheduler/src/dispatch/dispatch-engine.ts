import type { DataSource } from 'typeorm';
import { PostStateChanged } from '@sx/contracts';
import { appendToOutbox, buildEnvelope, type EventBus } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import { catchUpVerdict } from '../schedules/schedule.types';
import { DispatchRepository, type ClaimedJob, type FiredJob } from './dispatch.repository';
import { publishFired } from './dispatch-message';
import type { SchedulerMetrics } from './scheduler-metrics';
import { TimerHeap } from './timer-heap';

/** Publish batches awaiting acks at once; bounded so a stalled JetStream cannot pile up work. */
const MAX_INFLIGHT_BATCHES = 4;

export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
}

export interface DispatchEngineOptions {
  dataSource: DataSource;
  bus: EventBus;
  clock: Clock;
  timers: EngineTimers;
  metrics: SchedulerMetrics;
  owner: string;
  horizonMs: number;
  leaseMs: number;
  claimBatch?: number;
  fireBatch?: number;
  publishTimeoutMs?: number;
  log?: (level: 'warn' | 'error', msg: string, detail?: Record<string, unknown>) => void;
}

/**
 * Claims due jobs under a lease, arms them in a timer heap and fires each at its instant.
 *
 * Dispatch path, and why not the generic outbox: the fenced UPDATE armed -> dispatched IS the outbox
 * record (the row says "attempt N must be published", atomically with the state change), so firing is
 * one statement for a whole batch, then a concurrent publish with Nats-Msg-Id = `${jobId}:${attempt}`,
 * then `dispatch_acked_at`. If the process dies between the two, `sweepUnacked` (any replica) republishes
 * the same attempt with the same id: JetStream drops the copy inside its duplicate window and the
 * publisher's attempt journal (keyed by job+attempt, carrying the fencing token) drops it after. A replica
 * that lost its lease fails the fenced UPDATE and so never publishes.
 */
export class DispatchEngine {
  private readonly repo: DispatchRepository;
  private readonly heap = new TimerHeap<ClaimedJob>();
  private wakeHandle: unknown;
  private firing?: Promise<void>;
  private claiming: Promise<number> = Promise.resolve(0);
  /** Publish batches in flight: firing the next due jobs never waits for earlier acks (bounded). */
  private readonly inflight = new Set<Promise<void>>();
  private refire = false;
  private stopped = false;

  constructor(private readonly o: DispatchEngineOptions) {
    this.repo = new DispatchRepository(o.dataSource);
  }

  get owner(): string {
    return this.o.owner;
  }

  armedCount(): number {
    return this.heap.size;
  }

  /**
   * Claims everything due within the horizon (in batches) and arms it; returns how many were claimed.
   * Calls are chained, so a caller that awaits claim() knows every earlier claim's jobs are armed.
   */
  claim(): Promise<number> {
    const next = this.claiming.then(() => this.claimAll());
    this.claiming = next.catch(() => 0);
    return next;
  }

  private async claimAll(): Promise<number> {
    const batch = this.o.claimBatch ?? 2_000;
    let total = 0;
    for (;;) {
      const jobs = await this.repo.claim(this.o.owner, this.o.clock.nowMs(), this.o.horizonMs, this.o.leaseMs, batch);
      for (const j of jobs) this.heap.push(j);
      total += jobs.length;
      if (jobs.length < batch || this.stopped) break;
    }
    this.o.metrics.armed.set(this.heap.size);
    this.arm();
    return total;
  }

  /** Renews leases of armed jobs and forgets those another replica took over. */
  async renew(): Promise<number> {
    const held = this.heap.values().map((j) => ({ id: j.id, token: j.token }));
    const renewed = await this.repo.renew(this.o.owner, held, this.o.clock.nowMs(), this.o.leaseMs);
    const lost = this.heap.retain((j) => renewed.has(j.id));
    this.o.metrics.armed.set(this.heap.size);
    return lost;
  }

  /** Fires every armed job that is due now. Serialised: a call during a run schedules one more run. */
  fireDue(): Promise<void> {
    if (this.firing) {
      this.refire = true;
      return this.firing;
    }
    this.firing = this.fireLoop().finally(() => {
      this.firing = undefined;
      this.arm();
    });
    return this.firing;
  }

  /** Resolves once every publish started so far has been acknowledged (or failed and left to the sweep). */
  async drainPublishes(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Republishes dispatched attempts whose publish was never acknowledged (same Nats-Msg-Id). */
  async sweepUnacked(olderThanMs = 10_000): Promise<number> {
    const jobs = await this.repo.unacked(olderThanMs, this.o.clock.nowMs(), 500);
    await this.publishAll(jobs, false);
    return jobs.length;
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeHandle !== undefined) this.o.timers.clearTimeout(this.wakeHandle as never);
    this.wakeHandle = undefined;
    this.heap.clear();
  }

  /** Drops everything armed without releasing it, as a crashed replica would (tests use this). */
  abandon(): void {
    this.stop();
  }

  private async fireLoop(): Promise<void> {
    do {
      this.refire = false;
      const due = this.heap.popDue(this.o.clock.nowMs());
      const size = this.o.fireBatch ?? 1_000;
      for (let i = 0; i < due.length && !this.stopped; i += size) await this.fireBatch(due.slice(i, i + size));
    } while (this.refire && !this.stopped);
    this.o.metrics.armed.set(this.heap.size);
  }

  private async fireBatch(due: ClaimedJob[]): Promise<void> {
    const now = this.o.clock.nowMs();
    const toFire: ClaimedJob[] = [];
    for (const job of due) {
      const reason = job.attempt === 0 ? catchUpVerdict(job.catchUp, now - job.fireAt) : undefined;
      if (!reason) {
        toFire.push(job);
        continue;
      }
      if (await this.skip(job, reason, now)) this.o.metrics.skipped.inc();
    }
    const fired = await this.repo.markDispatched(this.o.owner, toFire, now).catch((e: unknown) => {
      this.o.log?.('error', 'marking jobs dispatched failed; they stay armed and are reclaimed when the lease ends', { err: String(e) });
      return [] as FiredJob[];
    });
    const fireAtById = new Map(toFire.map((j) => [j.id, j.fireAt]));
    while (this.inflight.size >= MAX_INFLIGHT_BATCHES) await Promise.race(this.inflight);
    const publishing: Promise<void> = this.publishAll(fired, true, fireAtById)
      .catch((e: unknown) => this.o.log?.('warn', 'recording dispatch acks failed; the sweep republishes', { err: String(e) }))
      .finally(() => this.inflight.delete(publishing));
    this.inflight.add(publishing);
  }

  private async publishAll(jobs: FiredJob[], observe: boolean, fireAtById?: Map<string, number>): Promise<void> {
    if (jobs.length === 0) return;
    const timeout = this.o.publishTimeoutMs ?? 5_000;
    const acked: FiredJob[] = [];
    await Promise.all(
      jobs.map(async (job) => {
        try {
          await withTimeout(publishFired(this.o.bus, job, this.o.clock.nowMs()), timeout);
          acked.push(job);
          if (observe) {
            const lateness = this.o.clock.nowMs() - (fireAtById?.get(job.id) ?? job.due_at.getTime());
            this.o.metrics.lateness.observe({ kind: job.kind }, Math.max(0, lateness) / 1000);
            this.o.metrics.dispatched.inc({ kind: job.kind });
          }
        } catch (e) {
          this.o.log?.('warn', 'dispatch publish failed or timed out; the sweep republishes it', { jobId: job.id, err: String(e) });
        }
      }),
    );
    await this.repo.markAcked(acked.map((j) => ({ id: j.id, attempt: j.attempt })), this.o.clock.nowMs());
    await this.repo.completePipelineJobs(acked.filter((j) => j.kind === 'pipeline').map((j) => j.id), this.o.clock.nowMs());
  }

  /** Skips one occurrence and announces it (post.state.changed via the outbox, same transaction). */
  private async skip(job: ClaimedJob, reason: string, nowMs: number): Promise<boolean> {
    return this.o.dataSource.transaction(async (m) => {
      const row = await new DispatchRepository(m).markSkipped(this.o.owner, job, reason, nowMs);
      if (!row) return false;
      const data = {
        jobId: row.id,
        postId: row.post_id ?? row.schedule_id,
        targetId: row.target_id ?? row.id,
        accountId: row.account_id ?? 'none',
        platform: row.platform,
        attempt: row.attempt,
        from: 'armed' as const,
        to: 'cancelled' as const,
        reason,
      };
      await appendToOutbox(m, 'scheduler', buildEnvelope(PostStateChanged, data, { workspaceId: row.workspace_id, correlationId: row.id }, this.o.clock));
      return true;
    });
  }

  /** One timer for the earliest armed job. */
  private arm(): void {
    if (this.stopped) return;
    if (this.wakeHandle !== undefined) this.o.timers.clearTimeout(this.wakeHandle as never);
    this.wakeHandle = undefined;
    const next = this.heap.peek();
    if (!next) return;
    const delay = Math.max(0, next.fireAt - this.o.clock.nowMs());
    this.wakeHandle = this.o.timers.setTimeout(() => {
      this.wakeHandle = undefined;
      void this.fireDue();
    }, delay);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`publish timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
