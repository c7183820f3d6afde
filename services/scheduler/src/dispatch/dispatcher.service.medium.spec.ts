import { SchedulerGetPost, SchedulerSchedulePost } from '@sx/contracts';
import { HealthRegistry } from '@sx/service-kit';
import { startApp, type AppHarness } from '../testing/app-harness';
import { until } from '../testing/medium-harness';

describe('DispatcherService loops on the injected clock (real Postgres)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-07-01T08:00:00Z');
  });
  afterAll(async () => {
    await h.close();
  });

  it('claims, arms and fires a job exactly at its due instant with no manual pass', async () => {
    const res = await h.ok(SchedulerSchedulePost, {
      post: { text: 'on the dot', hashtags: [], mediaIds: [], overrides: {}, labels: [], targets: [{ accountId: 'l1', platform: 'bluesky' }] },
      when: { mode: 'at', at: '2026-07-01T10:00:02' },
      zone: 'Europe/Berlin',
      catchUp: { mode: 'skip' },
    });
    expect(res.jobs[0].dueAt).toBe('2026-07-01T08:00:02.000Z');
    // Move the fake clock in 250 ms steps; the loops (claim, then the heap's timer) do the rest.
    await until(
      async () => {
        if (h.clock.nowMs() < Date.parse('2026-07-01T08:00:05Z')) h.clock.advance(250);
        return (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0].state === 'dispatched';
      },
      20_000,
      'the loops to fire the job',
    );
    const job = (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0];
    expect(job.firedAt).toBe(job.dueAt);
    expect(job.attempt).toBe(1);
    const ready = await h.app.get(HealthRegistry).report();
    expect(ready.checks['scheduler:loop']).toEqual({ ok: true, component: 'scheduler' });
  });
});
