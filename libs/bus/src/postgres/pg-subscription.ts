import type { Envelope, EventData, EventDefinition } from '@sx/contracts';
import type { Clock } from '@sx/service-kit';
import type { EventHandler } from '../event-bus';
import type { BusLogger } from '../core/logger';
import { runDelivery } from '../core/run-delivery';
import { withTimeout, type TimerHandle, type Timers } from '../core/timers';
import { safeJson } from '../jetstream/dead-letters';
import type { ClaimedRow, PgQueue, RowRef } from './pg-queue';

/** Rows claimed per statement: a few batches of slots, so a busy durable costs one claim per batch. */
function prefetch(concurrency: number): number {
  return Math.min(256, Math.max(concurrency * 4, 8));
}

export interface PgSubscriptionSpec {
  durable: string;
  regex: string;
  workQueue: boolean;
  maxDeliver: number;
  ackWaitMs: number;
  concurrency: number;
  confirmAcks: boolean;
  /** Longest sleep without a NOTIFY (missed notifications, other processes' nak delays). */
  pollIntervalMs: number;
}

export interface PgSubscriptionDeps {
  queue: PgQueue;
  clock: Clock;
  timers: Timers;
  logger: BusLogger;
  retryBackoffMs: (deliveryCount: number) => number;
  ack(ref: RowRef): Promise<void>;
  reschedule(ref: RowRef & { availableAt: number }): Promise<void>;
}

/**
 * One subscriber of a durable: claims as many rows as it has free slots in one statement, runs each
 * through `runDelivery`, and sleeps until a NOTIFY (`kick`), the next row's instant, or the poll interval.
 * Several subscriptions of one durable (in one process or many) compete through SKIP LOCKED.
 */
export class PgSubscription<D extends EventDefinition> {
  private inFlight = 0;
  /** Rows claimed ahead of free slots (one claim per batch, not per slot), with their claim instant. */
  private readonly buffer: { row: ClaimedRow; claimedAt: number }[] = [];
  private running = false;
  private rerun = false;
  private stopped = false;
  private wake?: { handle: TimerHandle; at: number };
  private readonly handlers = new Set<Promise<void>>();

  constructor(
    private readonly def: D,
    private readonly handler: EventHandler<EventData<D>>,
    readonly spec: PgSubscriptionSpec,
    private readonly deps: PgSubscriptionDeps,
  ) {}

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.cycle().finally(() => {
      this.running = false;
      if (this.rerun) this.kick();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearWake();
    // Rows claimed ahead and never started go back at once, for the other subscribers of the durable.
    const now = this.deps.clock.nowMs();
    await Promise.all(this.buffer.splice(0).map(({ row }) => this.deps.reschedule({ id: row.id, deliveryCount: row.deliveryCount, availableAt: now }).catch(() => undefined)));
    // A hung handler must not hold shutdown forever: its row becomes available again after ack wait anyway.
    await withTimeout(Promise.allSettled([...this.handlers]), this.spec.ackWaitMs, 'handlers still running', this.deps.timers).catch(() => undefined);
  }

  /** Wakes this subscription at `atMs` unless it is already due to wake earlier. */
  wakeAt(atMs: number): void {
    if (this.stopped) return;
    if (this.wake && this.wake.at <= atMs) return;
    this.clearWake();
    const handle = this.deps.timers.setTimeout(() => {
      this.wake = undefined;
      this.kick();
    }, Math.max(0, atMs - this.deps.clock.nowMs()));
    this.wake = { handle, at: atMs };
  }

  private async cycle(): Promise<void> {
    const { queue, clock } = this.deps;
    const { durable, maxDeliver, ackWaitMs, concurrency } = this.spec;
    try {
      do {
        this.rerun = false;
        this.startBuffered();
        if (this.stopped || this.buffer.length >= concurrency) return; // a finishing handler kicks again
        const now = clock.nowMs();
        const want = prefetch(concurrency) - this.buffer.length;
        const rows = await queue.claim(durable, now, maxDeliver, want, ackWaitMs);
        for (const row of rows) this.buffer.push({ row, claimedAt: now });
        this.startBuffered();
        if (rows.length < want) await this.idle(now);
        else if (this.inFlight < concurrency) this.rerun = true;
      } while (this.rerun && !this.stopped);
    } catch (e: unknown) {
      this.deps.logger.error({ consumer: durable, err: e instanceof Error ? e.message : String(e) }, 'claiming from the bus queue failed; retrying');
      this.wakeAt(clock.nowMs() + Math.min(1_000, this.spec.pollIntervalMs));
    }
  }

  /** Nothing more to claim now: dead-letter expired last deliveries, adopt backlog, sleep until the next row. */
  private async idle(now: number): Promise<void> {
    const { queue, clock } = this.deps;
    const { durable, maxDeliver, regex, workQueue, pollIntervalMs } = this.spec;
    const expired = await queue.expire(durable, now, maxDeliver, clock.now());
    if (expired > 0) this.deps.logger.warn({ consumer: durable, count: expired }, 'event dead-lettered: last delivery ran out of ack wait');
    if (workQueue && (await queue.adoptBacklog(durable, regex, now)) > 0) {
      this.rerun = true;
      return;
    }
    const next = await queue.nextAvailableAt(durable, now);
    this.wakeAt(Math.min(next ?? Infinity, now + pollIntervalMs));
  }

  /** Starts buffered rows into free slots; a row that waited half its ack wait gets its deadline renewed first. */
  private startBuffered(): void {
    while (!this.stopped && this.inFlight < this.spec.concurrency && this.buffer.length > 0) {
      const { row, claimedAt } = this.buffer.shift() as { row: ClaimedRow; claimedAt: number };
      const now = this.deps.clock.nowMs();
      if (now - claimedAt > this.spec.ackWaitMs / 2) {
        void this.deps.reschedule({ id: row.id, deliveryCount: row.deliveryCount, availableAt: now + this.spec.ackWaitMs }).catch(() => undefined);
      }
      this.start(row);
    }
  }

  private start(row: ClaimedRow): void {
    this.inFlight++;
    const p = this.deliver(row).finally(() => {
      this.inFlight--;
      this.handlers.delete(p);
      this.kick();
    });
    this.handlers.add(p);
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const { queue, clock, logger } = this.deps;
    const { durable, maxDeliver, ackWaitMs, confirmAcks } = this.spec;
    const ref: RowRef = { id: row.id, deliveryCount: row.deliveryCount };
    try {
      await runDelivery(
        this.def,
        safeJson(row.body),
        {
          subject: row.subject,
          deliveryCount: row.deliveryCount,
          maxDeliver,
          ack: async () => {
            const acked = this.deps.ack(ref);
            if (confirmAcks) return acked;
            // Unconfirmed (SubscribeOptions.confirmAcks): a lost ack means one redelivery after ack wait.
            acked.catch((e: unknown) => logger.warn({ consumer: durable, err: e instanceof Error ? e.message : String(e) }, 'ack failed; redelivery follows'));
          },
          nak: async (delayMs) => {
            const at = clock.nowMs() + delayMs;
            await this.deps.reschedule({ ...ref, availableAt: at });
            this.wakeAt(at);
          },
          working: async () => this.deps.reschedule({ ...ref, availableAt: clock.nowMs() + ackWaitMs }),
          deadLetter: async (reason: string, envelope: Envelope) => {
            await queue.deadLetter(ref, reason, JSON.stringify(envelope), clock.now());
            logger.warn({ consumer: durable, eventId: envelope.id, reason }, 'event dead-lettered');
          },
        },
        this.handler,
        { consumer: durable, logger, retryBackoffMs: this.deps.retryBackoffMs },
      );
    } catch (e: unknown) {
      // The settle could not be written (database gone): the row comes back after ack wait.
      logger.error({ consumer: durable, rowId: row.id, err: e instanceof Error ? e.message : String(e) }, 'could not settle message');
    }
  }

  private clearWake(): void {
    if (this.wake) this.deps.timers.clearTimeout(this.wake.handle);
    this.wake = undefined;
  }
}
