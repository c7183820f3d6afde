import { withTimeout, type EventBus } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import type { DispatchRepository, FiredJob } from './dispatch.repository';
import { publishFired } from './dispatch-message';
import { MessageBuilder, type DispatchRef, type PendingSend } from './message-builder';
import type { SchedulerMetrics } from './scheduler-metrics';
import { TimerHeap } from './timer-heap';

/**
 * Publishes awaiting their JetStream ack at once; bounded so a stalled JetStream cannot pile up work.
 * A thousand keeps the server busy on loopback; more only lengthened each publish's life (4,000 in flight
 * at ~12k/s is a third of a second), so its objects outlived young-generation collections and a burst
 * spent much of its time in garbage collection, with event-loop stalls of 300-500 ms.
 */
const MAX_INFLIGHT = 1_000;
/** Acks recorded per statement, and how long acks are gathered before a statement is sent. */
const ACK_BATCH = 5_000;
const ACK_FLUSH_EVERY_MS = 250;
const ACK_MAX_DEFER_MS = 5_000;

export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
}

export interface DispatchPublisherOptions {
  bus: EventBus;
  clock: Clock;
  timers: EngineTimers;
  metrics: SchedulerMetrics;
  repo: DispatchRepository;
  publishTimeoutMs: number;
  log?: (level: 'warn' | 'error', msg: string, detail?: Record<string, unknown>) => void;
}

/**
 * The fire path with no database on it: jobs prepared ahead of their instant sit in a timer heap and,
 * when due, are published at once (concurrent publish-with-ack, Nats-Msg-Id = `${jobId}:${attempt}`,
 * each under a timeout), with a bounded number in flight. Acks are recorded afterwards in coalesced
 * batches (`dispatch_acked_at`, one statement per flush, never on the fire path); an attempt whose
 * publish failed or timed out stays unacked and the sweep republishes it with the same message id.
 */
export class DispatchPublisher {
  private readonly ready = new TimerHeap<PendingSend>();
  private readonly inflight = new Set<Promise<void>>();
  private acked: DispatchRef[] = [];
  private flushing?: Promise<void>;
  /** Due jobs are waiting for in-flight room: each settled publish pulls the next ones. */
  private blocked = false;
  private wakeHandle: unknown;
  private ackTimer: unknown;
  private oldestAckAt = 0;
  private stopped = false;
  private emptied: (() => void)[] = [];

  private readonly builder: MessageBuilder;

  constructor(private readonly o: DispatchPublisherOptions) {
    this.builder = new MessageBuilder(o.bus, () => o.clock.nowMs());
  }

  get size(): number {
    return this.ready.size;
  }

  /** Queues prepared jobs for their instant (`fireAt` by job id) and publishes those already due. */
  add(jobs: FiredJob[], fireAtById: Map<string, number>): void {
    if (this.stopped) return;
    const items = jobs.map(
      (job): PendingSend => ({ id: job.id, attempt: job.attempt, kind: job.kind, fireAt: fireAtById.get(job.id) ?? job.due_at.getTime(), job }),
    );
    for (const item of items) this.ready.push(item);
    this.fireDue();
    this.builder.enqueue(items.filter((i) => !i.taken));
  }

  /** Publishes every prepared job that is due now, as far as the in-flight bound allows; never waits. */
  fireDue(): void {
    if (this.stopped) return;
    const now = this.o.clock.nowMs();
    while (this.inflight.size < MAX_INFLIGHT && (this.ready.peek()?.fireAt ?? Infinity) <= now) {
      const [next] = this.ready.popDue(now, 1);
      next.taken = true;
      const { message, job } = next;
      const send = message ? () => this.o.bus.publishPrepared(message) : () => publishFired(this.o.bus, job as FiredJob, now);
      this.track(this.publishOne(next, send, next.fireAt));
    }
    this.blocked = this.inflight.size >= MAX_INFLIGHT && (this.ready.peek()?.fireAt ?? Infinity) <= now;
    this.arm();
    if (this.ready.size === 0) this.wakeSettlers();
  }

  /**
   * Resolves once every queued job has been published at its instant and every publish has settled, or
   * after `maxWaitMs` of real time (a shutdown bound, like the publish timeout; what is still queued
   * then is left to the sweep).
   */
  async settle(maxWaitMs: number): Promise<void> {
    if (this.ready.size > 0 && !this.stopped) {
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.emptied.push(resolve)),
        new Promise<void>((resolve) => {
          bound = setTimeout(resolve, maxWaitMs);
          bound.unref();
        }),
      ]);
      clearTimeout(bound);
    }
    await this.drain();
  }

  /** Resolves once every publish started so far is settled and its ack recorded (or left to the sweep). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0 || this.flushing || this.acked.length > 0) {
      await Promise.all([...this.inflight]);
      this.flushAcksNow();
      await this.flushing;
    }
  }

  /** Publishes `jobs` now (the sweep's republish: same message ids, not observed as lateness) and records the acks. */
  async publishAll(jobs: FiredJob[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.publishOne(job, () => publishFired(this.o.bus, job, this.o.clock.nowMs()))));
    this.flushAcksNow();
    await this.flushing;
  }

  private track(p: Promise<void>): void {
    const tracked: Promise<void> = p.finally(() => {
      this.inflight.delete(tracked);
      if (this.blocked) this.fireDue();
    });
    this.inflight.add(tracked);
  }

  /** One publish-with-ack (`send`) under a timeout; `fireAt` given = a first fire, observed as lateness. */
  private async publishOne(job: DispatchRef, send: () => Promise<unknown>, fireAt?: number): Promise<void> {
    try {
      await withTimeout(send(), this.o.publishTimeoutMs, `publish timed out after ${this.o.publishTimeoutMs} ms`);
    } catch (e) {
      this.o.log?.('warn', 'dispatch publish failed or timed out; the sweep republishes it', { jobId: job.id, err: String(e) });
      return;
    }
    if (fireAt !== undefined) {
      this.o.metrics.lateness.observe({ kind: job.kind }, Math.max(0, this.o.clock.nowMs() - fireAt) / 1000);
      this.o.metrics.dispatched.inc({ kind: job.kind });
    }
    if (this.acked.length === 0) this.oldestAckAt = this.o.clock.nowMs();
    this.acked.push(job);
    this.ackTimer ??= this.o.timers.setTimeout(() => this.onAckTimer(), ACK_FLUSH_EVERY_MS);
  }

  /**
   * Records gathered acks, except while a burst is still being published (due jobs waiting for in-flight
   * room): then the statements would take CPU from the publishes, so they wait, for at most ACK_MAX_DEFER_MS.
   */
  private onAckTimer(): void {
    this.ackTimer = undefined;
    const burst = this.blocked && this.o.clock.nowMs() - this.oldestAckAt < ACK_MAX_DEFER_MS;
    if (burst) this.ackTimer = this.o.timers.setTimeout(() => this.onAckTimer(), ACK_FLUSH_EVERY_MS);
    else this.flushAcksNow();
  }

  /**
   * Starts recording the acks gathered so far (unless a flush is running: it takes them too). Acks are
   * gathered for ACK_FLUSH_EVERY_MS rather than written as they come: they only spare the sweep a
   * republish (which the message id makes harmless), and a statement per few acks competed for CPU with
   * the publishes. The deferral stays well under the sweep's 10 s age (ACK_MAX_DEFER_MS is half of it).
   */
  private flushAcksNow(): void {
    if (this.ackTimer !== undefined) this.o.timers.clearTimeout(this.ackTimer as never);
    this.ackTimer = undefined;
    if (this.acked.length === 0) return;
    this.flushing ??= this.flushAcks().finally(() => {
      this.flushing = undefined;
    });
  }

  /**
   * Records one batch of acks. What arrives while the statement runs waits for the next timer turn: going
   * on at once would send a string of statements of a few rows each, every one costing the database and
   * this process about as much as a large one.
   */
  private async flushAcks(): Promise<void> {
    const batch = this.acked.splice(0, ACK_BATCH);
    try {
      // "Handed to the bus" counts as stored only when the driver guarantees it survives a crash
      // (EventBus.durable); otherwise the jobs stay unacked and the sweep keeps them in its sight.
      if (this.o.bus.durable) await this.o.repo.markAcked(batch.map((j) => ({ id: j.id, attempt: j.attempt })), this.o.clock.nowMs());
      await this.o.repo.completePipelineJobs(batch.filter((j) => j.kind === 'pipeline').map((j) => j.id), this.o.clock.nowMs());
    } catch (e) {
      this.o.log?.('warn', 'recording dispatch acks failed; the sweep republishes', { err: String(e) });
    }
    if (this.acked.length > 0) this.ackTimer ??= this.o.timers.setTimeout(() => this.onAckTimer(), ACK_FLUSH_EVERY_MS);
  }

  /**
   * Forgets queued jobs and the timer. Jobs already prepared but not yet published stay `dispatched`
   * and unacked in the database, so the sweep of any replica publishes them (same message id).
   */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    if (this.ackTimer !== undefined) this.o.timers.clearTimeout(this.ackTimer as never);
    this.ackTimer = undefined;
    this.ready.clear();
    this.builder.clear();
    this.wakeSettlers();
  }

  private wakeSettlers(): void {
    for (const resolve of this.emptied.splice(0)) resolve();
  }

  /** One timer for the earliest prepared job. */
  private arm(): void {
    this.clearTimer();
    const next = this.ready.peek();
    // Blocked: due jobs wait for in-flight room and every settled publish pulls the next ones. A timer
    // here would be a 0 ms one re-armed by each run, spinning the event loop for the whole burst.
    if (!next || this.stopped || this.blocked) return;
    const delay = Math.max(0, next.fireAt - this.o.clock.nowMs());
    this.wakeHandle = this.o.timers.setTimeout(() => {
      this.wakeHandle = undefined;
      this.fireDue();
    }, delay);
  }

  private clearTimer(): void {
    if (this.wakeHandle !== undefined) this.o.timers.clearTimeout(this.wakeHandle as never);
    this.wakeHandle = undefined;
  }
}
