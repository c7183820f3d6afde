import { Registry } from 'prom-client';
import { OwnerLiveness } from '@sx/persistence';
import { FakeClock } from '@sx/testing';
import { DispatchEngine } from './dispatch-engine';
import { LateJobWatchdog } from './late-job-watchdog';
import { schedulerMetrics } from './scheduler-metrics';
import { seedJobs, startHarness, until, type Harness } from '../testing/medium-harness';

interface JobState {
  state: string;
  attempt: number;
  fire_at: Date;
  fired_at: Date | null;
  dispatch_acked_at: Date | null;
}

const jobs = async (h: Harness): Promise<JobState[]> =>
  (await h.ds.query(`SELECT state, attempt, fire_at, fired_at, dispatch_acked_at FROM scheduler.publish_jobs ORDER BY id`)) as JobState[];

describe('prepare ahead: fenced transition before the instant, publish at the instant (real Postgres + JetStream)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('dispatches in the database within the prepare window, publishes only at the instant, and the sweep never fires early', async () => {
    const start = new Date('2026-06-01T12:00:00Z');
    const clock = new FakeClock(start);
    const due = start.getTime() + 5_000;
    await seedJobs(h.ds, 3, new Date(due), 0, { mode: 'skip' });
    const metrics = schedulerMetrics(new Registry());
    const engine = new DispatchEngine({
      dataSource: h.ds, bus: h.bus, clock, timers: clock, metrics, owner: 'replica-ahead',
      horizonMs: 10_000, leaseMs: 30_000, prepareAheadMs: 1_000,
    });
    try {
      expect(await engine.claim()).toBe(3);
      await engine.fireDue();
      expect((await jobs(h)).map((j) => j.state)).toEqual(['armed', 'armed', 'armed']);

      clock.advance(4_000); // inside the window but not yet half of it: the engine waits to batch
      expect(engine.armedCount()).toBe(3); // a wake would have taken them off the armed heap synchronously
      clock.advance(600); // half the window away: the engine's timer prepares the batch
      await until(async () => (await jobs(h)).every((j) => j.state === 'dispatched'), 5_000, 'jobs prepared');
      await until(() => engine.preparedCount() === 3, 5_000, 'prepared jobs queued');
      for (const j of await jobs(h)) {
        expect(j).toMatchObject({ attempt: 1, dispatch_acked_at: null });
        expect(j.fired_at?.getTime()).toBe(j.fire_at.getTime()); // never earlier than the instant
      }
      expect((await engine.recover(10_000)).redispatched).toBe(0);
      expect((await metrics.dispatched.get()).values).toEqual([]);

      clock.advance(400); // the instant: published with no database on the path
      await engine.drainPublishes();
      await until(() => h.received.size === 3, 10_000, 'every dispatch consumed');
      expect([...h.received.values()]).toEqual([1, 1, 1]);
      expect((await jobs(h)).every((j) => j.dispatch_acked_at !== null)).toBe(true);
      const count = (await metrics.lateness.get()).values.find((v) => v.metricName?.endsWith('_count'));
      expect(count?.value).toBe(3);

      // Long after: a job with no outcome is late whatever its state, its dispatch acknowledged or not; once.
      clock.advance(120_000);
      const watchdog = new LateJobWatchdog(h.ds, clock, 60_000, metrics);
      expect(await watchdog.scan()).toBe(3);
      expect(await watchdog.scan()).toBe(0);
    } finally {
      engine.stop();
    }
  });

  it('a burst due at one instant starts preparing early enough to be ready by its instant (ADR 005)', async () => {
    const clock = new FakeClock(new Date('2026-06-01T12:00:00Z'));
    const n = 12_000; // at the assumed 5 jobs/ms: 1.5 × 12,000 / 5 = a 3.6 s lead instead of 0.75 s
    const due = clock.nowMs() + 20_000;
    await seedJobs(h.ds, n, new Date(due), 0, { mode: 'skip' });
    const engine = new DispatchEngine({
      dataSource: h.ds, bus: h.bus, clock, timers: clock, metrics: schedulerMetrics(new Registry()), owner: 'replica-burst',
      horizonMs: 30_000, leaseMs: 60_000, prepareAheadMs: 1_000,
    });
    try {
      expect(await engine.claim()).toBe(n);
      clock.advance(15_000); // 5 s before: not yet
      expect(engine.armedCount()).toBe(n);
      clock.advance(2_000); // 3 s before, frozen here: the whole burst is prepared, nothing is published
      await until(() => engine.preparedCount() === n, 60_000, 'burst prepared ahead of its instant');
      const states = (await h.ds.query(`SELECT state, count(*)::int AS n FROM scheduler.publish_jobs GROUP BY state`)) as { state: string; n: number }[];
      expect(states).toEqual([{ state: 'dispatched', n }]);
      expect(h.received.size).toBe(0);
      clock.advance(3_000); // the instant
      await until(() => h.received.size === n, 60_000, 'burst consumed');
      expect(new Set(h.received.values())).toEqual(new Set([1]));
    } finally {
      engine.stop();
    }
  });

  it('a graceful shutdown still publishes the jobs it already prepared, at their instant', async () => {
    const clock = new FakeClock(new Date('2026-06-01T12:00:00Z'));
    await seedJobs(h.ds, 2, new Date(clock.nowMs() + 600), 0, { mode: 'publish_late', maxLateMinutes: 5 });
    const engine = new DispatchEngine({
      dataSource: h.ds, bus: h.bus, clock, timers: clock, metrics: schedulerMetrics(new Registry()), owner: 'replica-leaving',
      horizonMs: 10_000, leaseMs: 30_000, prepareAheadMs: 1_000,
    });
    expect(await engine.claim()).toBe(2);
    await engine.fireDue(); // within the window: prepared now, due in 600 ms
    expect(engine.preparedCount()).toBe(2);
    const leaving = engine.shutdown();
    clock.advance(600);
    await leaving;
    await until(() => h.received.size === 2, 10_000, 'prepared jobs published');
    expect([...h.received.values()]).toEqual([1, 1]);
    expect((await jobs(h)).every((j) => j.state === 'dispatched' && j.dispatch_acked_at !== null)).toBe(true);
  });

  /** Two jobs due 500 ms from now, prepared (dispatched in the database) by a replica that then loses them. */
  async function preparedThenLost(clock: FakeClock): Promise<(owner: string) => DispatchEngine> {
    await seedJobs(h.ds, 2, new Date(clock.nowMs() + 500), 0, { mode: 'publish_late', maxLateMinutes: 5 });
    const make = (owner: string) => new DispatchEngine({
      dataSource: h.ds, bus: h.bus, clock, timers: clock, metrics: schedulerMetrics(new Registry()), owner,
      horizonMs: 10_000, leaseMs: 30_000, prepareAheadMs: 1_000,
    });
    const dying = make('replica-dying');
    expect(await dying.claim()).toBe(2);
    await dying.fireDue();
    expect(dying.preparedCount()).toBe(2);
    await dying.abandon(); // crash between the fenced transition and the publish
    return make;
  }

  it('a live replica whose publishes were lost has them republished after 10 s: never before its instant, once, same message id', async () => {
    const clock = new FakeClock(new Date('2026-06-01T12:00:00Z'));
    const make = await preparedThenLost(clock);
    // The replica still runs (its liveness lock is held): only the 10 s unacked rule applies.
    const stillAlive = new OwnerLiveness(h.ds, 'scheduler', 'replica-dying');
    await stillAlive.ensure();
    const survivor = make('replica-sweeper');
    try {
      clock.advance(9_000); // 8.5 s after the instant: not yet 10 s since fired_at (= the instant)
      expect((await survivor.recover(10_000)).redispatched).toBe(0);
      clock.advance(1_600);
      expect((await survivor.recover(10_000)).redispatched).toBe(2);
      await until(() => h.received.size === 2, 10_000, 'swept dispatches consumed');
      expect((await survivor.recover(10_000)).redispatched).toBe(0); // acked now
      expect([...h.received.values()]).toEqual([1, 1]);
      expect((await jobs(h)).map((j) => j.attempt)).toEqual([1, 1]);
    } finally {
      survivor.stop();
      await stillAlive.stop();
    }
  });

  it('a dead replica\'s prepared jobs are re-dispatched at their instant, not 10 s later, and only once', async () => {
    const clock = new FakeClock(new Date('2026-06-01T12:00:00Z'));
    const make = await preparedThenLost(clock);
    const survivor = make('replica-sweeper');
    try {
      expect(await survivor.claim()).toBe(0); // takes the liveness lock; nothing pending
      expect((await survivor.recover(10_000)).redispatched).toBe(0); // before the instant: never early
      clock.advance(600);
      expect((await survivor.recover(10_000)).redispatched).toBe(2);
      await until(() => h.received.size === 2, 10_000, 'recovered dispatches consumed');
      expect((await survivor.recover(10_000)).redispatched).toBe(0);
      expect([...h.received.values()]).toEqual([1, 1]);
      expect((await jobs(h)).map((j) => j.attempt)).toEqual([1, 1]);
    } finally {
      survivor.stop();
    }
  });
});
