import { DispatchRequested, SchedulerGetPost, SchedulerListDeadLetters, SchedulerReplayDeadLetter, SchedulerSchedulePost } from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';
import { until } from '../testing/medium-harness';

/**
 * A dispatch the publisher gives up on (here: terminated) reaches the bus's dead letters. The scheduler
 * makes it visible: the job leaves `dispatched` for `failed` with the reason, an alert is raised, the
 * workspace lists it, and a replay puts the job back in flight and the message back on the bus.
 */
describe('dead letters become job states, alerts, and are listed and replayed (real Postgres)', () => {
  let h: AppHarness;
  let accept = false;
  const received: string[] = [];

  beforeAll(async () => {
    h = await startApp('2026-07-01T08:00:00Z');
    await h.bus.subscribe(
      DispatchRequested,
      async (d) => {
        if (!accept) return d.term('the plugin host refused the message');
        received.push(d.envelope.data.jobId);
      },
      { durable: 'publisher', subject: 'dispatch.*' },
    );
  });
  afterAll(async () => {
    await h.close();
  });

  const job = async (postId: string) => (await h.ok(SchedulerGetPost, { id: postId })).jobs[0];

  it('fails the job with the dead letter reason, alerts once, lists it for its workspace only, and replays it', async () => {
    const res = await h.ok(SchedulerSchedulePost, {
      post: { text: 'doomed', hashtags: [], mediaIds: [], overrides: {}, labels: [], targets: [{ accountId: 'acct-1', platform: 'bluesky' }] },
      when: { mode: 'at', at: '2026-07-01T08:00:02Z' },
      zone: 'UTC',
      catchUp: { mode: 'publish_late', maxLateMinutes: 60 },
    });
    await until(
      async () => {
        h.clock.advance(250);
        return (await job(res.postId)).state === 'failed';
      },
      30_000,
      'the dead letter to fail the job',
    );
    const failed = await job(res.postId);
    expect(failed.reason).toMatch(/^dead_lettered: terminated: the plugin host refused the message/);

    h.clock.advance(10_000); // more watcher turns: still one alert
    await until(async () => (await alerts()).length >= 1, 10_000, 'the alert in the outbox');
    const raised = await alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'dead_letter', severity: 'critical', ref: { jobId: failed.id } });

    const listed = await h.ok(SchedulerListDeadLetters, { limit: 10 });
    expect(listed.items).toEqual([expect.objectContaining({ consumer: 'publisher', subject: 'dispatch.bluesky', jobId: failed.id, postId: res.postId, deliveryCount: 1 })]);
    expect((await h.ok(SchedulerListDeadLetters, { limit: 10 }, 'ws-other')).items).toEqual([]);
    const foreign = await h.call(SchedulerReplayDeadLetter, { id: listed.items[0].id }, 'ws-other');
    expect(foreign).toMatchObject({ ok: false, error: { status: 404 } });

    accept = true;
    const replayed = await h.ok(SchedulerReplayDeadLetter, { id: listed.items[0].id });
    expect(replayed).toEqual({ id: listed.items[0].id, jobId: failed.id, jobState: 'dispatched' });
    await until(() => received.includes(failed.id), 10_000, 'the replayed dispatch at the publisher');
    expect((await job(res.postId)).state).toBe('dispatched');
    expect((await h.ok(SchedulerListDeadLetters, { limit: 10 })).items).toEqual([]);
    expect(await h.call(SchedulerReplayDeadLetter, { id: listed.items[0].id })).toMatchObject({ ok: false, error: { status: 404 } });
  });

  async function alerts(): Promise<{ kind: string; severity: string; ref: Record<string, string> }[]> {
    const rows = (await h.ds.query(`SELECT envelope FROM scheduler.outbox WHERE subject = 'alert.raised'`)) as { envelope: { data: { kind: string; severity: string; ref: Record<string, string> } } }[];
    return rows.map((r) => r.envelope.data).filter((d) => d.kind === 'dead_letter');
  }
});
