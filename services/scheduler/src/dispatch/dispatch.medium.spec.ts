import { FakeClock } from '@sx/testing';
import type { DispatchEngine } from './dispatch-engine';
import { DispatchRepository } from './dispatch.repository';
import { LateJobWatchdog } from './late-job-watchdog';
import { engine, realTimers, seedJobs, startHarness, systemClockForTests, until, type Harness } from '../testing/medium-harness';

/** Drives an engine like DispatcherService does: claim every 200 ms, renew every second. */
function drive(e: DispatchEngine): () => void {
  const claim = setInterval(() => void e.claim().catch(() => undefined), 200);
  const renew = setInterval(() => void e.renew().catch(() => undefined), 1_000);
  return () => {
    clearInterval(claim);
    clearInterval(renew);
    e.stop();
  };
}

async function counts(h: Harness): Promise<Record<string, number>> {
  const r = (await h.ds.query(`SELECT state, count(*)::int AS n FROM scheduler.publish_jobs GROUP BY state`)) as { state: string; n: number }[];
  return Object.fromEntries(r.map((x) => [x.state, x.n]));
}

describe('dispatch on real Postgres + JetStream', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('two replicas over 10,000 jobs fire each exactly once', async () => {
    // Under ~40 s on a busy 2-core box; the publish rate of the local JetStream (fsync per write) dominates.
    const N = 10_000;
    await seedJobs(h.ds, N, new Date(Date.now() + 1_500), 0.4, { mode: 'publish_late', maxLateMinutes: 60 });
    const a = engine(h, 'replica-a', systemClockForTests, realTimers);
    const b = engine(h, 'replica-b', systemClockForTests, realTimers);
    const stops = [drive(a.engine), drive(b.engine)];
    try {
      await until(async () => (await counts(h))['dispatched'] === N, 50_000, 'every job dispatched');
      await until(() => h.received.size === N, 20_000, 'every dispatch consumed');
    } finally {
      stops.forEach((s) => s());
    }
    const firedA = (await a.metrics.dispatched.get()).values.reduce((s, v) => s + v.value, 0);
    const firedB = (await b.metrics.dispatched.get()).values.reduce((s, v) => s + v.value, 0);
    expect(firedA + firedB).toBe(N);
    expect([...h.received.values()].every((n) => n === 1)).toBe(true);
    const [attempts] = (await h.ds.query(`SELECT min(attempt)::int AS lo, max(attempt)::int AS hi FROM scheduler.publish_jobs`)) as { lo: number; hi: number }[];
    expect(attempts).toEqual({ lo: 1, hi: 1 });
    const [history] = (await h.ds.query(`SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS jobs FROM scheduler.job_executions WHERE to_state = 'dispatched'`)) as { n: number; jobs: number }[];
    expect(history).toEqual({ n: N, jobs: N });
  }, 110_000);

  it('a replica killed with jobs under lease loses them to the other, which fires them once; the dead one is fenced out', async () => {
    const N = 300;
    // Due well beyond the doomed replica's prepare window (2 s ahead), so it dies holding leases only.
    await seedJobs(h.ds, N, new Date(Date.now() + 3_500), 2, { mode: 'publish_late', maxLateMinutes: 60 });
    const doomed = engine(h, 'replica-doomed', systemClockForTests, realTimers, { leaseMs: 1_500, horizonMs: 5_000 });
    expect(await doomed.engine.claim()).toBe(N);
    const leased = (await h.ds.query(`SELECT id, fencing_token FROM scheduler.publish_jobs WHERE lease_owner = 'replica-doomed'`)) as { id: string; fencing_token: string }[];
    expect(leased).toHaveLength(N);
    doomed.engine.abandon(); // crash: timers gone, leases left behind

    const survivor = engine(h, 'replica-survivor', systemClockForTests, realTimers, { horizonMs: 5_000 });
    const stop = drive(survivor.engine);
    try {
      await until(async () => (await counts(h))['dispatched'] === N, 20_000, 'orphaned jobs dispatched by the survivor');
      await until(() => h.received.size === N, 10_000, 'every dispatch consumed');
    } finally {
      stop();
    }
    const stale = await new DispatchRepository(h.ds).markDispatched('replica-doomed', leased.map((j) => ({ id: j.id, token: j.fencing_token })), Date.now());
    expect(stale).toEqual([]);
    const [row] = (await h.ds.query(`SELECT min(attempt)::int AS attempt, min(fencing_token)::int AS token FROM scheduler.publish_jobs`)) as { attempt: number; token: number }[];
    expect(row).toEqual({ attempt: 1, token: 2 });
    expect([...h.received.values()].every((n) => n === 1)).toBe(true);
  });

  it('after downtime applies each schedule\'s catch-up policy and the watchdog raises job_late once', async () => {
    const restart = new Date('2026-06-01T12:00:00Z');
    const clock = new FakeClock(restart);
    const lateOk = await seedJobs(h.ds, 1, new Date(restart.getTime() - 10 * 60_000), 0, { mode: 'publish_late', maxLateMinutes: 30 });
    const tooLate = await seedJobs(h.ds, 1, new Date(restart.getTime() - 2 * 3_600_000), 0, { mode: 'publish_late', maxLateMinutes: 30 });
    const skip = await seedJobs(h.ds, 1, new Date(restart.getTime() - 5 * 60_000), 0, { mode: 'skip' });
    const onTime = await seedJobs(h.ds, 1, new Date(restart.getTime() + 500), 0, { mode: 'skip' });

    const e = engine(h, 'replica-restarted', clock, clock, { horizonMs: 1_000 });
    const watchdog = new LateJobWatchdog(h.ds, clock, 60_000, e.metrics);
    expect(await watchdog.scan()).toBe(3);
    expect(await watchdog.scan()).toBe(0);
    const alerts = (await h.ds.query(`SELECT envelope FROM scheduler.outbox WHERE subject = 'alert.raised'`)) as { envelope: { data: { kind: string; ref: Record<string, string> } } }[];
    expect(alerts.map((a) => a.envelope.data.kind)).toEqual(['job_late', 'job_late', 'job_late']);
    expect(new Set(alerts.map((a) => a.envelope.data.ref['scheduleId']))).toEqual(new Set([lateOk.scheduleId, tooLate.scheduleId, skip.scheduleId]));
    expect(await e.engine.claim()).toBe(4);
    await e.engine.fireDue();
    clock.advance(500);
    await until(async () => (await counts(h))['dispatched'] === 2, 5_000, 'the on-time job fired at its instant');
    await e.engine.fireDue();
    await e.engine.drainPublishes();

    const state = async (scheduleId: string) =>
      ((await h.ds.query(`SELECT state, reason FROM scheduler.publish_jobs WHERE schedule_id = $1`, [scheduleId])) as { state: string; reason: string | null }[])[0];
    expect((await state(lateOk.scheduleId)).state).toBe('dispatched');
    expect(await state(tooLate.scheduleId)).toEqual({ state: 'cancelled', reason: 'skipped: missed by 120 min, more than the 30-minute catch-up window' });
    expect(await state(skip.scheduleId)).toEqual({ state: 'cancelled', reason: 'skipped: missed by 5 min (scheduler unavailable); catch-up policy is "skip"' });
    expect((await state(onTime.scheduleId)).state).toBe('dispatched');
    expect(await e.metrics.skipped.get()).toMatchObject({ values: [{ value: 2 }] });
    const announced = (await h.ds.query(`SELECT envelope FROM scheduler.outbox WHERE subject = 'post.state.changed'`)) as { envelope: { data: { to: string; reason: string } } }[];
    expect(announced.map((a) => a.envelope.data.to)).toEqual(['cancelled', 'cancelled']);
    expect(announced.every((a) => a.envelope.data.reason.startsWith('skipped: missed by'))).toBe(true);
    const lateness = await e.metrics.lateness.get();
    const count = lateness.values.find((v) => v.metricName?.endsWith('_count'));
    expect(count?.value).toBe(2);
    e.engine.stop();
  });
});
