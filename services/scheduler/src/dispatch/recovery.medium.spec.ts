import type { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import { DispatchRequested, type EventData } from '@sx/contracts';
import { InProcessEventBus } from '@sx/bus';
import { createServiceDataSource, OwnerLiveness } from '@sx/persistence';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { jobRepository } from '../jobs/job.repository';
import { SCHEDULER_MIGRATIONS } from '../scheduler.module';
import { seedJobs, until, WORKSPACE } from '../testing/medium-harness';
import { DispatchEngine } from './dispatch-engine';
import { LateJobWatchdog } from './late-job-watchdog';
import { schedulerMetrics } from './scheduler-metrics';

/** One "process": an engine on its own in-process bus (embedded mode: the bus dies with the process). */
interface Proc {
  engine: DispatchEngine;
  bus: InProcessEventBus;
  /** Dispatch messages its publisher side received: job id -> times. */
  received: Map<string, number>;
}

describe('recovery of stranded jobs after a crash (real Postgres, embedded-mode bus, injected clock)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let clock: FakeClock;
  const procs: Proc[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    ds = await createServiceDataSource({ url: db.url, schema: 'scheduler', entities: [], migrations: SCHEDULER_MIGRATIONS, poolSize: 6 });
    clock = new FakeClock(new Date('2026-06-01T12:00:00Z'));
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      await p.engine.abandon();
      await p.bus.close();
    }
    await ds.destroy();
    await db.drop();
  });

  async function start(owner: string, o: { leaseMs?: number } = {}): Promise<Proc> {
    const bus = new InProcessEventBus({ clock });
    await bus.start();
    const received = new Map<string, number>();
    await bus.subscribe(DispatchRequested, async (d) => {
      const data = d.envelope.data as EventData<typeof DispatchRequested>;
      received.set(data.jobId, (received.get(data.jobId) ?? 0) + 1);
    }, { durable: 'publisher', subject: 'dispatch.*', concurrency: 64 });
    const engine = new DispatchEngine({
      dataSource: ds, bus, clock, timers: clock, metrics: schedulerMetrics(new Registry()), owner,
      horizonMs: 30_000, leaseMs: o.leaseMs ?? 60_000, prepareAheadMs: 1_000,
    });
    const p = { engine, bus, received };
    procs.push(p);
    return p;
  }

  /** kill -9: the engine's memory and its in-memory bus are gone, its liveness lock is released. */
  async function kill(p: Proc): Promise<void> {
    procs.splice(procs.indexOf(p), 1);
    await p.engine.abandon();
    await p.bus.close();
  }

  const states = async () =>
    Object.fromEntries(((await ds.query(`SELECT state, count(*)::int AS n FROM scheduler.publish_jobs GROUP BY state`)) as { state: string; n: number }[]).map((r) => [r.state, r.n]));

  it('a restart takes over the dead process\'s leases at once, so posts due just after the kill go out at their instant', async () => {
    await seedJobs(ds, 100, new Date(clock.nowMs() + 5_000), 0, { mode: 'publish_late', maxLateMinutes: 60 });
    const first = await start('proc-1'); // lease 60 s: the old code waited for it to run out
    expect(await first.engine.claim()).toBe(100);
    await kill(first);
    clock.advance(2_000); // restarted 2 s later, 3 s before the burst
    const second = await start('proc-2');
    expect(await second.engine.claim()).toBe(0);
    expect(await second.engine.recover()).toEqual({ takenOver: 100, redispatched: 0 });
    clock.advance(3_000);
    await until(async () => (await states())['dispatched'] === 100, 20_000, 'the burst dispatched');
    await until(() => second.received.size === 100, 20_000, 'the burst published'); // batches may publish one after another
    const [late] = (await ds.query(`SELECT max(extract(epoch FROM fired_at - due_at))::float8 AS s FROM scheduler.publish_jobs`)) as { s: number }[];
    expect(late.s).toBe(0);
  });

  it('dispatches an in-memory bus accepted before the kill are dispatched again at the restart, once', async () => {
    await seedJobs(ds, 50, new Date(clock.nowMs() + 500), 0, { mode: 'publish_late', maxLateMinutes: 60 });
    const first = await start('proc-1');
    expect(await first.engine.claim()).toBe(50);
    clock.advance(500);
    await until(async () => (await states())['dispatched'] === 50, 10_000, 'dispatched');
    await first.engine.drainPublishes();
    expect(first.received.size).toBe(50); // accepted and delivered by a bus that keeps them in memory only
    await kill(first); // before its publisher recorded any attempt
    clock.advance(300); // far less than the 10 s after which an unstored dispatch is republished anyway
    const second = await start('proc-2');
    expect((await second.engine.recover()).redispatched).toBe(50);
    await until(() => second.received.size === 50, 10_000, 'redispatched');
    expect((await second.engine.recover()).redispatched).toBe(0); // marked as its own: not repeated
    expect([...second.received.values()].every((n) => n === 1)).toBe(true);
    expect((await ds.query(`SELECT DISTINCT attempt FROM scheduler.publish_jobs`)) as unknown[]).toEqual([{ attempt: 1 }]);
  });

  it('a publishing job whose publisher died is dispatched again (same attempt) for reconcile; a live publisher\'s is left alone', async () => {
    await seedJobs(ds, 2, new Date(clock.nowMs() + 500), 0, { mode: 'publish_late', maxLateMinutes: 60 });
    const first = await start('proc-1');
    await first.engine.claim();
    clock.advance(500);
    await until(async () => (await states())['dispatched'] === 2, 10_000, 'dispatched');
    await first.engine.drainPublishes();
    const jobs = (await ds.query(`SELECT id, attempt FROM scheduler.publish_jobs ORDER BY id`)) as { id: string; attempt: number }[];
    const alivePublisher = new OwnerLiveness(ds, 'publisher', 'publisher-alive');
    await alivePublisher.ensure();
    try {
      for (const [i, j] of jobs.entries()) {
        await jobRepository.transition(ds, { workspaceId: WORKSPACE }, { jobId: j.id, attempt: j.attempt }, 'publishing', { publisherOwner: i === 0 ? 'publisher-dead' : 'publisher-alive' }, clock.nowMs());
      }
      await kill(first); // the scheduler and the publisher-dead died together (embedded mode)
      const second = await start('proc-2');
      expect((await second.engine.recover()).redispatched).toBe(1);
      await until(() => second.received.size === 1, 5_000, 'redispatched');
      expect([...second.received.keys()]).toEqual([jobs[0].id]);
      expect((await second.engine.recover()).redispatched).toBe(0);
      expect(await states()).toEqual({ publishing: 2 });
    } finally {
      await alivePublisher.stop();
    }
  });

  it('the watchdog alerts jobs late in any unfinished state; stats count stuck in-flight jobs as stuck, not running', async () => {
    await seedJobs(ds, 4, new Date(clock.nowMs() - 5 * 60_000), 0, { mode: 'publish_late', maxLateMinutes: 60 });
    const ids = ((await ds.query(`SELECT id FROM scheduler.publish_jobs ORDER BY occurrence_key`)) as { id: string }[]).map((r) => r.id);
    const set = (id: string, sql: string) => ds.query(`UPDATE scheduler.publish_jobs SET ${sql}, updated_at = $2 WHERE id = $1`, [id, new Date(clock.nowMs() - 4 * 60_000)]);
    await set(ids[0], `state = 'dispatched', dispatch_acked_at = now()`);
    await set(ids[1], `state = 'publishing'`);
    await set(ids[2], `state = 'unknown'`);
    await set(ids[3], `state = 'paused'`);
    const metrics = schedulerMetrics(new Registry());
    expect(await new LateJobWatchdog(ds, clock, 60_000, metrics).scan()).toBe(3);
    const stats = await jobRepository.stats(ds, { workspaceId: WORKSPACE }, new Date(0), new Date(clock.nowMs()), new Date(clock.nowMs() - 60_000));
    expect([stats['running'], stats['stuck'], stats['unknown']]).toEqual([0, 2, 1]);
  });
});
