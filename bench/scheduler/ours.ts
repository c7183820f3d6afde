import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@sx/config';
import { DispatchRequested } from '@sx/contracts';
import { JetStreamEventBus } from '@sx/bus';
import { createServiceDataSource } from '@sx/persistence';
import { DispatcherService, SCHEDULER_MIGRATIONS } from '@sx/scheduler';
import { HealthRegistry, systemClock } from '@sx/service-kit';
import { testNamespace } from '@sx/testing';
import { runResult } from './collector';
import { engineLatenessBound } from './engine-metrics';
import type { RemoteConsumer } from './remote-consumer';
import { BENCH_PLATFORM, BENCH_WORKSPACE, resetSchedulerTables, seedSchedulerJobs } from './ours-seed';
import { dueAt, inChunks, type RunResult, type ShapeSpec } from './stats';

/** Handlers in flight in the no-op dispatch consumer. */
export const NOOP_CONCURRENCY = 1_000;
const NATS_NAMESPACE = testNamespace('SXB');

export interface OursOptions {
  horizonMs: number;
  leaseMs: number;
  leadMs: number;
  maxWaitMs: number;
}

/**
 * SchedulerX's dispatcher as deployed: a DispatcherService (claim/renew/sweep/materialise/watchdog loops
 * over one DispatchEngine) on a real DataSource and JetStream bus in this process, and one no-op durable
 * consumer on `dispatch.*` in the consumer child process (where the publisher service would be) that
 * records lateness when it receives each message.
 */
export class OursBench {
  private constructor(
    readonly ds: DataSource,
    private readonly bus: JetStreamEventBus,
    private readonly natsUrl: string,
    private readonly consumer: RemoteConsumer,
  ) {}

  /**
   * Starts the no-op consumer in the consumer child for one run of `expected` jobs; only messages tagged
   * `tag` (the post id the run's jobs were seeded under) count, from when it is known.
   */
  private startConsumer(expected: number, tag?: string): Promise<void> {
    return this.consumer.start(
      { system: 'ours', natsUrl: this.natsUrl, namespace: NATS_NAMESPACE, durable: 'bench-noop', subject: 'dispatch.*', concurrency: NOOP_CONCURRENCY },
      expected,
      tag,
    );
  }

  static async open(dbUrl: string, natsUrl: string, consumer: RemoteConsumer): Promise<OursBench> {
    const ds = await createServiceDataSource({
      url: dbUrl,
      schema: 'scheduler',
      entities: [],
      migrations: SCHEDULER_MIGRATIONS,
      poolSize: 10,
    });
    const bus = new JetStreamEventBus({
      servers: natsUrl,
      namespace: NATS_NAMESPACE,
      replicas: 1,
      duplicateWindowMs: 120_000,
      maxDeliver: 5,
      requestTimeoutMs: 5_000,
      publishTimeoutMs: 5_000,
      name: 'scheduler-bench',
    });
    await bus.start();
    return new OursBench(ds, bus, natsUrl, consumer);
  }

  async run(shape: ShapeSpec, o: OursOptions, background = 0): Promise<RunResult> {
    await resetSchedulerTables(this.ds);
    const chunk = (from: number, to: number, run: (a: number, b: number) => Promise<unknown>) =>
      inChunks(to - from, 100_000, 'scheduler seed', (a, b) => run(from + a, from + b));
    let bgMs = 0;
    if (background > 0) {
      const t = Date.now();
      // Due from 2 h on, 50 ms apart: pending rows in the claim index, far outside the horizon.
      await seedSchedulerJobs(
        this.ds,
        {
          count: background,
          firstDueMs: t + 7_200_000,
          spreadMs: background * 50,
          nowMs: t,
          label: 'background',
        },
        chunk,
      );
      await this.ds.query('VACUUM ANALYZE scheduler.publish_jobs');
      bgMs = Date.now() - t;
    }
    await this.startConsumer(shape.count);
    const t0 = Date.now();
    const firstDueMs = t0 + o.leadMs;
    const runTag = await seedSchedulerJobs(
      this.ds,
      { count: shape.count, firstDueMs, spreadMs: shape.spreadMs, nowMs: t0, label: shape.name },
      chunk,
    );
    this.consumer.setTag(runTag);
    await this.ds.query('ANALYZE scheduler.publish_jobs');
    const seedMs = Date.now() - t0;
    const config = loadConfig({
      SX_SCHEDULER_HORIZON_MS: String(o.horizonMs),
      SX_SCHEDULER_LEASE_MS: String(o.leaseMs),
    });
    const registry = new Registry();
    const dispatcher = new DispatcherService(
      this.ds,
      this.bus,
      systemClock,
      config,
      registry,
      new HealthRegistry(),
    );
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    dispatcher.onApplicationBootstrap();
    loopDelay.enable();
    try {
      await this.consumer.waitComplete(dueAt(shape, firstDueMs, shape.count - 1) + o.maxWaitMs);
    } finally {
      loopDelay.disable();
      await dispatcher.onApplicationShutdown();
    }
    // A failed shutdown fails the whole benchmark, which closes the consumer child with it.
    const consumption = await this.consumer.stop();
    const [p50, p99] = [await engineLatenessBound(registry, 0.5), await engineLatenessBound(registry, 0.99)];
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    const notes = [
      `horizon ${o.horizonMs / 1000}s`,
      `dispatcher event-loop delay p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`,
      `engine's own fire→publish-ack histogram: p50 <= ${p50 ?? 'n/a'} ms, p99 <= ${p99 ?? 'n/a'} ms (bucket bounds)`,
    ];
    if (seedMs > o.leadMs) notes.push(`seeding overran the lead by ${seedMs - o.leadMs} ms`);
    if (background > 0)
      notes.push(
        `+${background.toLocaleString('en-US')} later jobs (seeded in ${(bgMs / 1000).toFixed(1)} s)`,
      );
    return runResult(background > 0 ? 'SchedulerX +bg' : 'SchedulerX', shape, firstDueMs, seedMs, consumption, notes.join('; '));
  }

  /**
   * Bus ceiling, no scheduler: publishes `count` dispatch messages due "now" (batches of 1,000 concurrent
   * publish-with-ack, as the engine does, each batch under a timeout) to the same no-op consumer.
   */
  async busBaseline(count: number, maxWaitMs: number): Promise<RunResult> {
    const shape: ShapeSpec = { name: 'burst', count, spreadMs: 0 };
    const runTag = `baseline-${Date.now()}`;
    await this.startConsumer(count, runTag);
    const t0 = Date.now();
    const dueIso = new Date(t0).toISOString();
    await inChunks(count, 1_000, 'baseline publish', (from, to) => {
      const batch: Promise<unknown>[] = [];
      for (let i = from; i < to; i++) {
        const jobId = `${runTag}-${i}`;
        batch.push(
          this.bus.publish(
            DispatchRequested,
            {
              jobId,
              postId: runTag,
              targetId: jobId,
              accountId: 'bench-acct',
              platform: BENCH_PLATFORM,
              attempt: 1,
              fencingToken: 1,
              dueAt: dueIso,
              firedAt: new Date().toISOString(),
              content: { text: 'benchmark post', hashtags: [], mediaIds: [], settings: {} },
            },
            {
              workspaceId: BENCH_WORKSPACE,
              correlationId: jobId,
              id: `${jobId}:1`,
              subject: `dispatch.${BENCH_PLATFORM}`,
            },
          ),
        );
      }
      return Promise.all(batch);
    });
    const publishMs = Date.now() - t0;
    await this.consumer.waitComplete(Date.now() + maxWaitMs);
    const consumption = await this.consumer.stop();
    return runResult(
      'JetStream only',
      shape,
      t0,
      0,
      consumption,
      `bus ceiling, no scheduler: ${count} publish-with-ack in ${(publishMs / 1000).toFixed(2)} s = ${Math.round(count / (publishMs / 1000))} msgs/s`,
    );
  }

  async close(): Promise<void> {
    await this.bus.destroyNamespace().catch(() => undefined);
    await this.bus.close();
    await this.ds.destroy();
  }
}
