import {
  PostPublished, SchedulerCancelPost, SchedulerForcePost, SchedulerGetPost, SchedulerPostAgain, SchedulerReschedulePost, SchedulerResolveUnknown,
  SchedulerRetryJob, SchedulerSchedulePost,
} from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';
import { until } from '../testing/medium-harness';

const post = (accounts: string[]) => ({
  text: 'one post, one publish',
  hashtags: [],
  mediaIds: [],
  overrides: {},
  labels: [],
  targets: accounts.map((accountId) => ({ accountId, platform: 'bluesky' })),
});

/** The kick after scheduling may already have armed a job due now: pending and armed are both "not fired". */
const unfired = (state: string) => (state === 'pending' || state === 'armed' ? 'unfired' : state);

type Job = { id: string; state: string; reason: string | null; accountId: string | null; dueAt: string };

describe('post now, reschedule and post again settle what was scheduled (real Postgres)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-04-01T12:00:00Z');
  });
  afterAll(async () => {
    await h.close();
  });

  const jobs = async (postId: string): Promise<Job[]> => (await h.ok(SchedulerGetPost, { id: postId })).jobs as Job[];
  const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

  async function publish(postId: string): Promise<void> {
    await h.dispatcher.runOnce();
    for (const job of (await jobs(postId)).filter((j) => j.state === 'dispatched')) {
      const full = (await h.ok(SchedulerGetPost, { id: postId })).jobs.find((j) => j.id === job.id);
      await h.bus.publish(
        PostPublished,
        { jobId: job.id, postId, targetId: full?.targetId ?? '', accountId: job.accountId ?? '', platform: 'bluesky', attempt: full?.attempt ?? 1, platformPostId: `at://${job.id}`, url: `https://bsky.app/p/${job.id}`, publishedAt: h.clock.now().toISOString() },
        { workspaceId: 'ws-a', correlationId: 'c-pub' },
      );
    }
    await until(async () => (await jobs(postId)).every((j) => j.state !== 'dispatched'), 10_000, 'published outcomes applied');
  }

  it('instant publish cancels the post\'s already scheduled job, so it does not go out again later', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['i1']), when: { mode: 'at', at: '2026-04-02T09:00' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.ok(SchedulerSchedulePost, { postId: res.postId, when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    const all = await jobs(res.postId);
    expect(all.map((j) => [j.dueAt, unfired(j.state), j.reason])).toEqual([
      ['2026-04-01T12:00:00.000Z', 'unfired', null],
      ['2026-04-02T09:00:00.000Z', 'cancelled', 'settled: the post was posted now'],
    ]);
  });

  it('force (post now) fires one job per target and settles the target\'s other scheduled jobs', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['f1', 'f2']), when: { mode: 'at', at: '2026-04-03T09:00' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.ok(SchedulerSchedulePost, { postId: res.postId, when: { mode: 'at', at: '2026-04-04T09:00' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    const forced = await h.ok(SchedulerForcePost, { id: res.postId });
    expect(forced.jobs.map((j) => [j.accountId, j.dueAt]).sort()).toEqual([
      ['f1', '2026-04-01T12:00:00.000Z'],
      ['f2', '2026-04-01T12:00:00.000Z'],
    ]);
    const all = await jobs(res.postId);
    expect(all.filter((j) => unfired(j.state) === 'unfired')).toHaveLength(2);
    expect(all.filter((j) => j.state === 'cancelled').map((j) => [j.accountId, j.dueAt, j.reason]).sort()).toEqual([
      ['f1', '2026-04-04T09:00:00.000Z', 'settled: the post was posted now'],
      ['f2', '2026-04-04T09:00:00.000Z', 'settled: the post was posted now'],
    ]);
  });

  it('refuses to reschedule or instantly re-publish a published post; post again publishes it once more', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['a1']), when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.dispatcher.runOnce();
    await h.ds.query(`UPDATE scheduler.publish_jobs SET reason = 'rate limit: deferred' WHERE post_id = $1`, [res.postId]);
    await publish(res.postId);
    // Published clears the reason it waited for (the dashboard must not show a published post as deferred).
    expect((await jobs(res.postId)).map((j) => [j.state, j.reason])).toEqual([['published', null]]);
    expect(code(await h.call(SchedulerReschedulePost, { id: res.postId, at: '2026-04-05T09:00', zone: 'UTC' }))).toBe('already_published');
    expect(code(await h.call(SchedulerSchedulePost, { postId: res.postId, when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } }))).toBe('already_published');
    expect((await jobs(res.postId)).map((j) => j.state)).toEqual(['published']);
    const again = await h.ok(SchedulerPostAgain, { id: res.postId, when: { mode: 'at', at: '2026-04-05T09:00' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    expect(again.jobs.map((j) => [j.accountId, j.dueAt, j.state])).toEqual([['a1', '2026-04-05T09:00:00.000Z', 'pending']]);
    expect((await jobs(res.postId)).map((j) => unfired(j.state))).toEqual(['published', 'unfired']);
    expect(code(await h.call(SchedulerPostAgain, { id: '00000000-0000-4000-8000-000000000000', when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } }))).toBe('not_found');
  });

  it('a person can cancel, retry and resolve jobs stuck in flight once they are past the late threshold', async () => {
    const a = await h.ok(SchedulerSchedulePost, { post: post(['s1']), when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    const b = await h.ok(SchedulerSchedulePost, { post: post(['s2']), when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    const c = await h.ok(SchedulerSchedulePost, { post: post(['s3']), when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.dispatcher.runOnce();
    const [ja, jb, jc] = [(await jobs(a.postId))[0], (await jobs(b.postId))[0], (await jobs(c.postId))[0]];
    await h.ds.query(`UPDATE scheduler.publish_jobs SET state = 'publishing' WHERE id = $1`, [jc.id]);
    expect([ja.state, jb.state]).toEqual(['dispatched', 'dispatched']);
    // Fresh in flight: nothing to act on yet (the publisher may still answer).
    expect(await h.ok(SchedulerCancelPost, { id: a.postId })).toEqual({ cancelledJobs: 0 });
    expect(code(await h.call(SchedulerRetryJob, { id: jb.id }))).toBe('not_failed');
    expect(code(await h.call(SchedulerResolveUnknown, { id: jc.id, outcome: 'failed', note: 'not on the platform' }))).toBe('not_unknown');
    h.clock.advance(61_000); // past SX_SCHEDULER_LATE_ALERT_MS (60 s): stuck
    expect(await h.ok(SchedulerCancelPost, { id: a.postId })).toEqual({ cancelledJobs: 1 });
    expect((await h.ok(SchedulerRetryJob, { id: jb.id })).state).toBe('pending');
    expect((await h.ok(SchedulerResolveUnknown, { id: jc.id, outcome: 'failed', note: 'not on the platform' })).state).toBe('failed');
    expect(code(await h.call(SchedulerRetryJob, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('not_found');
  });
});
