import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import type { Logger } from 'pino';
import { CLOCK, createLogger, HealthRegistry, METRICS, type Clock } from '@sx/service-kit';
import { materializeDue } from '../schedules/materializer';
import { DispatchEngine, type EngineTimers } from './dispatch-engine';
import { schedulerMetrics } from './scheduler-metrics';
import { LateJobWatchdog } from './late-job-watchdog';
import { DeadLetterWatcher } from '../dead-letters/dead-letter-watcher';

/** Optional override of the timer source (tests pass a FakeClock); defaults to Node's timers. */
export const SCHEDULER_TIMERS = Symbol('SCHEDULER_TIMERS');

const nodeTimers: EngineTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

/**
 * Runs this replica's share of the scheduler: claim loop (every 250 ms at most), lease renewal
 * (every third of the lease), recovery of dead replicas' and stranded jobs (every second), recurring-schedule materialisation and the
 * late-job watchdog. Each loop reschedules itself only after its previous run finished.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly engine: DispatchEngine;
  readonly watchdog: LateJobWatchdog;
  readonly deadLetters: DeadLetterWatcher;
  private readonly timers: EngineTimers;
  private readonly handles = new Map<string, unknown>();
  private running = false;
  private lastTickMs = 0;
  private readonly log: Logger;

  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(EVENT_BUS) bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) registry: Registry,
    private readonly health: HealthRegistry,
    @Optional() @Inject(SCHEDULER_TIMERS) timers?: EngineTimers,
  ) {
    this.timers = timers ?? nodeTimers;
    this.log = createLogger('scheduler', config.logLevel).child({ component: 'dispatcher' });
    const metrics = schedulerMetrics(registry);
    this.engine = new DispatchEngine({
      dataSource: db,
      bus,
      clock,
      timers: this.timers,
      metrics,
      owner: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      horizonMs: config.scheduler.horizonMs,
      leaseMs: config.scheduler.leaseMs,
      log: (level, msg, detail) => this.log[level](detail ?? {}, msg),
    });
    this.watchdog = new LateJobWatchdog(db, clock, config.scheduler.lateAlertMs, metrics);
    this.deadLetters = new DeadLetterWatcher(db, bus, clock);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    // Ready from the start; the check fails only if the claim loop then stops ticking.
    this.lastTickMs = this.clock.nowMs();
    const { horizonMs, leaseMs, lateAlertMs } = this.config.scheduler;
    // Claim often, in small batches: the database work stays even instead of a lump per second.
    this.loop('claim', Math.max(100, Math.min(250, horizonMs / 4)), () => this.engine.claim());
    this.loop('renew', Math.max(100, leaseMs / 3), () => this.engine.renew());
    // At start and every second: dead replicas' leases and stranded in-flight jobs are recovered at once.
    this.loop('recover', 1_000, () => this.engine.recover());
    this.loop('materialize', 60_000, () => materializeDue(this.db, this.clock.nowMs()));
    // What the bus gave up on becomes a job state and an alert (docs/adr/008-postgres-event-bus.md).
    this.loop('dead-letters', 5_000, () => this.deadLetters.scan());
    this.loop('watchdog', Math.max(1_000, Math.min(15_000, lateAlertMs / 4)), () => this.watchdog.scan());
    this.health.register('scheduler:loop', 'scheduler', async () => {
      const idle = this.clock.nowMs() - this.lastTickMs;
      return idle < 30_000 ? { ok: true } : { ok: false, detail: `claim loop idle for ${idle} ms` };
    });
  }

  /** Stops the loops; jobs already dispatched in the database still publish at their instant (< 1 s). */
  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    for (const h of this.handles.values()) this.timers.clearTimeout(h as never);
    this.handles.clear();
    await this.engine.shutdown();
  }

  /** Claims now instead of at the next loop turn (after scheduling something due soon). */
  kick(): void {
    if (!this.running) return;
    void this.engine.claim().catch((e: unknown) => this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'claim after kick failed'));
  }

  /** One full pass: materialise recurring schedules, claim and fire what is due (POST /api/run-scheduler). */
  async runOnce(): Promise<{ materialized: number; claimed: number }> {
    const materialized = await materializeDue(this.db, this.clock.nowMs());
    const claimed = await this.engine.claim();
    await this.engine.fireDue();
    await this.engine.drainPublishes();
    return { materialized, claimed };
  }

  private loop(name: string, everyMs: number, fn: () => Promise<unknown>): void {
    const run = async () => {
      try {
        await fn();
        if (name === 'claim') this.lastTickMs = this.clock.nowMs();
      } catch (e) {
        // The database is the truth: a failed turn is retried on the next one.
        this.log.warn({ loop: name, err: e instanceof Error ? e.message : String(e) }, 'scheduler loop turn failed');
      }
      if (this.running) this.handles.set(name, this.timers.setTimeout(() => void run(), everyMs));
    };
    this.handles.set(name, this.timers.setTimeout(() => void run(), 0));
  }
}
