import type { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import { DispatchRequested, type Envelope, type EventData } from '@sx/contracts';
import { JetStreamEventBus } from '@sx/bus';
import { createServiceDataSource } from '@sx/persistence';
import type { Clock } from '@sx/service-kit';
import { createTestDatabase, testNamespace, type TestDatabase } from '@sx/testing';
import { DispatchEngine, type EngineTimers } from '../dispatch/dispatch-engine';
import { schedulerMetrics, type SchedulerMetrics } from '../dispatch/scheduler-metrics';
import { SCHEDULER_MIGRATIONS } from '../scheduler.module';
import type { CatchUp } from '../schedules/schedule.types';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const WORKSPACE = 'ws-medium';

/** Real Postgres (fresh database) + real JetStream (own namespace) for the scheduler's medium tests. */
export interface Harness {
  db: TestDatabase;
  ds: DataSource;
  bus: JetStreamEventBus;
  /** Dispatch messages received by a no-op consumer: job id -> times received. */
  received: Map<string, number>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const ds = await createServiceDataSource({ url: db.url, schema: 'scheduler', entities: [], migrations: SCHEDULER_MIGRATIONS, poolSize: 6 });
  const bus = new JetStreamEventBus({ servers: NATS_URL, namespace: testNamespace('SCH'), replicas: 1, duplicateWindowMs: 120_000, maxDeliver: 5, requestTimeoutMs: 5_000 });
  await bus.start();
  const received = new Map<string, number>();
  await bus.subscribe(
    DispatchRequested,
    async (d) => {
      const data = d.envelope.data as EventData<typeof DispatchRequested>;
      received.set(data.jobId, (received.get(data.jobId) ?? 0) + 1);
    },
    { durable: 'noop-publisher', subject: 'dispatch.*', concurrency: 64 },
  );
  return {
    db,
    ds,
    bus,
    received,
    async close() {
      await bus.destroyNamespace().catch(() => undefined);
      await bus.close();
      await ds.destroy();
      await db.drop();
    },
  };
}

/** Inserts a post with one target, a schedule with `catchUp`, and `n` pending jobs due from `firstDue`, `stepMs` apart. */
export async function seedJobs(ds: DataSource, n: number, firstDue: Date, stepMs: number, catchUp: CatchUp): Promise<{ scheduleId: string }> {
  const now = new Date(firstDue.getTime() - 60_000);
  const [post] = (await ds.query(
    `INSERT INTO scheduler.posts (workspace_id, text, created_by, created_at, updated_at) VALUES ($1, 'hello', 'tester', $2, $2) RETURNING id`,
    [WORKSPACE, now],
  )) as { id: string }[];
  const [target] = (await ds.query(
    `INSERT INTO scheduler.post_targets (workspace_id, post_id, account_id, platform) VALUES ($1, $2, 'acct-1', 'testplat') RETURNING id`,
    [WORKSPACE, post.id],
  )) as { id: string }[];
  const [schedule] = (await ds.query(
    `INSERT INTO scheduler.schedules (workspace_id, name, kind, recurrence, zone, start_at, action, post_id, catch_up, created_at, updated_at)
     VALUES ($1, 'seed', 'once', $2, 'UTC', $3, $4, $5, $6, $7, $7) RETURNING id`,
    [WORKSPACE, JSON.stringify({ kind: 'once', at: firstDue.toISOString() }), firstDue, JSON.stringify({ type: 'publish_post', postId: post.id }), post.id, JSON.stringify(catchUp), now],
  )) as { id: string }[];
  await ds.query(
    `INSERT INTO scheduler.publish_jobs (workspace_id, schedule_id, post_id, target_id, account_id, platform, kind, occurrence_key, zone, due_at, fire_at, state, created_at, updated_at)
     SELECT $1, $2::uuid, $3, $4, 'acct-1', 'testplat', 'publish', $2::text || ':' || g, 'UTC', d, d, 'pending', $7, $7
     FROM generate_series(0, $6 - 1) g, LATERAL (SELECT $5::timestamptz + make_interval(secs => g * $8::double precision / 1000)) AS x(d)`,
    [WORKSPACE, schedule.id, post.id, target.id, firstDue, n, now, stepMs],
  );
  return { scheduleId: schedule.id };
}

export function engine(h: Harness, owner: string, clock: Clock, timers: EngineTimers, opts: { leaseMs?: number; horizonMs?: number; claimBatch?: number } = {}): { engine: DispatchEngine; metrics: SchedulerMetrics } {
  const metrics = schedulerMetrics(new Registry());
  return {
    metrics,
    engine: new DispatchEngine({
      dataSource: h.ds,
      bus: h.bus,
      clock,
      timers,
      metrics,
      owner,
      horizonMs: opts.horizonMs ?? 2_000,
      leaseMs: opts.leaseMs ?? 10_000,
      claimBatch: opts.claimBatch ?? 500,
    }),
  };
}

export const realTimers: EngineTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

export const systemClockForTests: Clock = { now: () => new Date(), nowMs: () => Date.now() };

/** Polls `check` every 50 ms until true or `timeoutMs` passes (waiting on real I/O, never on a guessed sleep). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type { Envelope };
