import type { DataSource } from 'typeorm';
import { OwnerLiveness } from '@sx/persistence';
import type { EventBus } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import { announceStateChanges } from '../jobs/job-events';
import { catchUpVerdict } from '../schedules/schedule.types';
import { DispatchRepository, type ClaimedJob, type FiredJob } from './dispatch.repository';
import { DispatchPublisher, type EngineTimers } from './dispatch-publisher';
import type { SchedulerMetrics } from './scheduler-metrics';
import { TimerHeap } from './timer-heap';

export type { EngineTimers } from './dispatch-publisher';

/** Default lead of the fenced armed -> dispatched transition over a job's instant (see prepareAheadMs). */
export const DEFAULT_PREPARE_AHEAD_MS = 2_000;
/** Upper bound on how early a large batch of jobs due together starts being prepared (ADR 005). */
export const MAX_PREPARE_LEAD_MS = 10_000;
/** Preparation runs about this often in a steady stream of jobs (see normalLeadMs). */
const PREPARE_STEP_MS = 250;
/** Assumed preparation speed (jobs per ms) until the first batches have been measured. */
const INITIAL_PREPARE_RATE = 5;

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
  /**
   * At most how long before its instant a job is moved armed -> dispatched (fenced, in the database) and
   * queued for a publish with no database on the path. The engine wakes when the earliest armed job is
   * a step (250 ms) inside this and prepares everything within the whole window, so a steady stream of jobs
   * costs one statement per step, not one per job. Must stay well under the unacked sweep's 10 s age.
   * A cancel that lands inside this window no longer stops the occurrence (it is already dispatched).
   */
  prepareAheadMs?: number;
  log?: (level: 'warn' | 'error', msg: string, detail?: Record<string, unknown>) => void;
}

/**
 * Claims due jobs under a lease, arms them in a timer heap and fires each at its instant.
 *
 * Dispatch path, and why not the generic outbox: the fenced UPDATE armed -> dispatched IS the outbox
 * record (the row says "attempt N must be published", atomically with the state change). It runs for a
 * whole batch in one statement shortly BEFORE the jobs' instant (`prepareAheadMs`), so at the instant the
 * fire path touches no database: DispatchPublisher publishes concurrently with Nats-Msg-Id =
 * `${jobId}:${attempt}`, then records `dispatch_acked_at`. If the process dies in between, `recover`
 * (any replica) republishes the same attempt with the same id at once (the dead replica's liveness lock is
 * free), or once `fired_at` (never earlier than the job's instant) is 10 s old if only the publish failed: JetStream drops the copy inside its duplicate window and the publisher's
 * attempt journal (keyed by job+attempt, carrying the fencing token) drops it after. A replica that lost
 * its lease fails the fenced UPDATE and so never publishes.
 */
export class DispatchEngine {
  private readonly repo: DispatchRepository;
  private readonly heap = new TimerHeap<ClaimedJob>();
  private readonly publisher: DispatchPublisher;
  private readonly liveness: OwnerLiveness;
  private wakeHandle: unknown;
  private firing?: Promise<void>;
  private claiming: Promise<number> = Promise.resolve(0);
  private refire = false;
  private stopped = false;
  /** Consecutive failed preparation statements, and when the next attempt may run. */
  private failures = 0;
  private retryAt = 0;
  /** Measured preparation speed in jobs per ms (moving average over batches). */
  private prepareRate = INITIAL_PREPARE_RATE;

  constructor(private readonly o: DispatchEngineOptions) {
    this.repo = new DispatchRepository(o.dataSource);
    this.liveness = new OwnerLiveness(o.dataSource, 'scheduler', o.owner);
    this.publisher = new DispatchPublisher({
      bus: o.bus,
      clock: o.clock,
      timers: o.timers,
      metrics: o.metrics,
      repo: this.repo,
      publishTimeoutMs: o.publishTimeoutMs ?? 5_000,
      log: o.log,
    });
  }

  get owner(): string {
    return this.o.owner;
  }

  /** Jobs held under lease and not yet prepared. */
  armedCount(): number {
    return this.heap.size;
  }

  /** Jobs already dispatched in the database and waiting in memory for their instant. */
  preparedCount(): number {
    return this.publisher.size;
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
    if (this.stopped) return 0;
    // Alive before holding anything: a replica without its liveness lock looks dead, and others take its leases.
    await this.liveness.ensure();
    const batch = this.o.claimBatch ?? 2_000;
    let total = 0;
    for (;;) {
      const jobs = await this.repo.claim(this.o.owner, this.o.clock.nowMs(), this.o.horizonMs, this.o.leaseMs, batch);
      for (const j of jobs) this.heap.push(j);
      total += jobs.length;
      // Arm after every batch: a large claim must not hold back jobs it already has (bursts).
      if (jobs.length > 0) this.arm();
      if (jobs.length < batch || this.stopped) break;
    }
    this.o.metrics.armed.set(this.heap.size);
    this.arm();
    return total;
  }

  /**
   * Renews the leases that run out within half a lease and forgets jobs another replica took over.
   * Only those: a job is claimed at most one horizon ahead of its instant, so with the default lease
   * (twice the horizon) renewing touches nothing in normal operation, instead of rewriting every held
   * row each turn (which also made it deadlock-prone against the dispatch batches).
   */
  async renew(): Promise<number> {
    const now = this.o.clock.nowMs();
    const expiring = this.heap.filter((j) => j.leaseUntil - now < this.o.leaseMs / 2);
    if (expiring.length === 0) return 0;
    const renewed = await this.repo.renew(this.o.owner, expiring, now, this.o.leaseMs);
    const asked = new Set(expiring.map((j) => j.id));
    for (const j of expiring) if (renewed.has(j.id)) j.leaseUntil = now + this.o.leaseMs;
    const lost = this.heap.retain((j) => !asked.has(j.id) || renewed.has(j.id));
    this.o.metrics.armed.set(this.heap.size);
    return lost;
  }

  /**
   * Publishes every prepared job that is due, then prepares (fenced armed -> dispatched) every armed job
   * due within `prepareAheadMs`. Preparing is serialised: a call during a run schedules one more run.
   */
  fireDue(): Promise<void> {
    this.publisher.fireDue();
    if (this.firing) {
      this.refire = true;
      return this.firing;
    }
    this.firing = this.prepareLoop().finally(() => {
      this.firing = undefined;
      this.arm();
    });
    return this.firing;
  }

  /** Resolves once every publish started so far has been acknowledged (or failed and left to the sweep). */
  drainPublishes(): Promise<void> {
    return this.publisher.drain();
  }

  /**
   * Recovery, run at start and every second: takes over armed jobs of dead replicas at once (their
   * liveness lock is free), then re-dispatches stranded in-flight jobs as the same attempt (see
   * DispatchRepository.stranded). Answers how many of each.
   */
  async recover(unackedAgeMs = 10_000): Promise<{ takenOver: number; redispatched: number }> {
    if (this.stopped) return { takenOver: 0, redispatched: 0 };
    await this.liveness.ensure();
    const now = this.o.clock.nowMs();
    const taken = await this.repo.claimFromDead(this.o.owner, now, this.o.leaseMs, this.o.claimBatch ?? 2_000);
    for (const j of taken) this.heap.push(j);
    if (taken.length > 0) this.arm();
    const jobs = await this.repo.stranded(this.o.owner, now, { durableBus: this.o.bus.durable, unackedAgeMs, limit: 500 });
    await this.publisher.publishAll(jobs);
    if (taken.length + jobs.length > 0) this.o.log?.('warn', 'recovered jobs of a dead or stalled holder', { takenOver: taken.length, redispatched: jobs.length });
    return { takenOver: taken.length, redispatched: jobs.length };
  }

  /** Immediate stop: forgets armed and prepared jobs and gives up liveness, so other replicas recover them at once. */
  stop(): void {
    this.stopHolding();
    this.publisher.stop();
    void this.liveness.stop();
  }

  /**
   * Graceful stop: claims and prepares nothing more, but jobs already moved to `dispatched` still go out
   * at their instant (at most `prepareAheadMs` away, or MAX_PREPARE_LEAD_MS before a burst) instead of waiting for another replica's sweep;
   * the wait is bounded in real time, so a frozen test clock cannot hold a shutdown.
   */
  async shutdown(): Promise<void> {
    this.stopHolding();
    await this.firing?.catch(() => undefined); // a batch being prepared right now still joins the queue
    await this.publisher.settle(Math.max(this.prepareAheadMs(), MAX_PREPARE_LEAD_MS) + 500);
    this.publisher.stop();
    await this.liveness.stop();
  }

  private stopHolding(): void {
    this.stopped = true;
    if (this.wakeHandle !== undefined) this.o.timers.clearTimeout(this.wakeHandle as never);
    this.wakeHandle = undefined;
    this.heap.clear();
  }

  /**
   * Drops everything armed or prepared without releasing it, as a crashed replica would (tests use this);
   * resolves once its liveness lock is gone, as the database sees a killed process's connection end.
   */
  abandon(): Promise<void> {
    this.stopHolding();
    this.publisher.stop();
    return this.liveness.stop();
  }

  private prepareAheadMs(): number {
    return this.o.prepareAheadMs ?? DEFAULT_PREPARE_AHEAD_MS;
  }

  private async prepareLoop(): Promise<void> {
    const size = this.o.fireBatch ?? 1_000;
    do {
      this.refire = false;
      // The window is fixed per pass: re-reading the clock per batch would chase the window's moving edge
      // with one small statement after another instead of one batch per step.
      const now = this.o.clock.nowMs();
      const until = Math.max(now + this.prepareAheadMs(), this.burstUntil(now));
      // Earliest first, one batch at a time, so the first batch is publishable as soon as possible.
      for (;;) {
        if (this.stopped) return;
        if (this.o.clock.nowMs() < this.retryAt) break;
        const due = this.heap.popDue(until, size);
        if (due.length === 0) break;
        const ok = await this.prepareBatch(due).then(() => true, () => false);
        if (!ok) return;
      }
    } while (this.refire && !this.stopped);
    this.o.metrics.armed.set(this.heap.size);
  }

  private async prepareBatch(due: ClaimedJob[]): Promise<void> {
    const now = this.o.clock.nowMs();
    const toFire: ClaimedJob[] = [];
    const toSkip: { job: ClaimedJob; reason: string }[] = [];
    for (const job of due) {
      const reason = job.attempt === 0 ? catchUpVerdict(job.catchUp, now - job.fireAt) : undefined;
      if (reason) toSkip.push({ job, reason });
      else toFire.push(job);
    }
    const started = Date.now();
    let fired: FiredJob[];
    let skippedSoFar = 0;
    try {
      for (const { job, reason } of toSkip) {
        if (await this.skip(job, reason, now)) this.o.metrics.skipped.inc();
        skippedSoFar++;
      }
      fired = await this.repo.markDispatched(this.o.owner, toFire, now);
      this.failures = 0;
    } catch (e: unknown) {
      // Still armed under our lease: keep them and try again shortly (a deadlock victim or a blip must not
      // wait for the lease to run out); the backoff keeps a database outage from becoming a busy loop.
      this.failures++;
      this.retryAt = this.o.clock.nowMs() + Math.min(5_000, 50 * 2 ** this.failures);
      for (const { job } of toSkip.slice(skippedSoFar)) this.heap.push(job);
      for (const job of toFire) this.heap.push(job);
      this.o.log?.('error', 'preparing jobs failed; retrying', { err: String(e), jobs: due.length, failures: this.failures });
      throw e;
    }
    if (toFire.length >= 100) {
      const rate = toFire.length / Math.max(1, Date.now() - started); // real time: the work's own speed
      this.prepareRate = 0.7 * this.prepareRate + 0.3 * rate;
    }
    this.publisher.add(fired, new Map(toFire.map((j) => [j.id, j.fireAt])));
  }

  /**
   * How early preparation of the earliest armed job's window must start: a step inside it normally, more
   * when so many jobs are due within it that preparing them at the measured speed would run past the
   * instant (a burst), capped at MAX_PREPARE_LEAD_MS.
   */
  private prepareLeadMs(): number {
    const next = this.heap.peek();
    const normal = this.normalLeadMs();
    if (!next) return normal;
    const backlog = this.heap.countDue(next.fireAt + this.prepareAheadMs());
    return Math.min(MAX_PREPARE_LEAD_MS, Math.max(normal, (1.5 * backlog) / this.prepareRate));
  }

  /**
   * Wake when the earliest armed job is one step inside the window: each pass then prepares about a step's
   * worth of jobs, so the database work is spread evenly instead of arriving in lumps that delay everything
   * else on a small machine.
   */
  private normalLeadMs(): number {
    return Math.max(this.prepareAheadMs() / 2, this.prepareAheadMs() - PREPARE_STEP_MS);
  }

  /** End of the window a pass prepares when a burst made it start early (else 0: the normal window applies). */
  private burstUntil(now: number): number {
    const next = this.heap.peek();
    if (!next) return 0;
    const lead = this.prepareLeadMs();
    return next.fireAt - lead <= now && lead > this.normalLeadMs() ? next.fireAt + this.prepareAheadMs() / 2 : 0;
  }

  /** Skips one occurrence and announces it (post.state.changed via the outbox, same transaction). */
  private async skip(job: ClaimedJob, reason: string, nowMs: number): Promise<boolean> {
    return this.o.dataSource.transaction(async (m) => {
      const row = await new DispatchRepository(m).markSkipped(this.o.owner, job, reason, nowMs);
      if (!row) return false;
      await announceStateChanges(m, { workspaceId: row.workspace_id }, [{ row, from: 'armed', to: 'cancelled', reason }], this.o.clock);
      return true;
    });
  }

  /** One timer: when the earliest armed job is one step inside the prepare window (earlier before a burst). */
  private arm(): void {
    if (this.stopped) return;
    if (this.wakeHandle !== undefined) this.o.timers.clearTimeout(this.wakeHandle as never);
    this.wakeHandle = undefined;
    const next = this.heap.peek();
    if (!next) return;
    const now = this.o.clock.nowMs();
    const delay = Math.max(0, next.fireAt - this.prepareLeadMs() - now, this.retryAt - now);
    this.wakeHandle = this.o.timers.setTimeout(() => {
      this.wakeHandle = undefined;
      this.fireDue().catch((e: unknown) => this.o.log?.('warn', 'preparing due jobs failed; the next claim turn retries', { err: String(e) }));
    }, delay);
  }
}
