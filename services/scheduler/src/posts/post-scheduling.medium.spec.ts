import {
  PostFailed, PostPublished, PostRetrying, PostUnknown, SchedulerCancelPost, SchedulerResolveUnknown, SchedulerRetryJob, SchedulerCreatePost, SchedulerDeletePost, SchedulerForcePost, SchedulerGetPost, SchedulerListJobs,
  SchedulerNextSlots, SchedulerReschedulePost, SchedulerRestorePost, SchedulerSchedulePost, SchedulerSetSlots, SchedulerStats, SchedulerUpcoming,
} from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';
import { until } from '../testing/medium-harness';

const post = (accounts: string[]) => ({
  text: 'launch day',
  hashtags: [],
  mediaIds: [],
  overrides: {},
  labels: [],
  targets: accounts.map((accountId) => ({ accountId, platform: 'bluesky' })),
});

type Announced = { subject: string; envelope: { data: { accountId: string; from?: string; to?: string; reason?: string; jobs?: unknown[] } } };

/** The post's events in the scheduler's outbox, in order, as short lines. */
async function announced(h: AppHarness, postId: string): Promise<string[]> {
  const found = (await h.ds.query(`SELECT subject, envelope FROM scheduler.outbox WHERE envelope->'data'->>'postId' = $1 ORDER BY seq`, [postId])) as Announced[];
  return found.map(({ subject, envelope: { data } }) =>
    subject === 'post.state.changed' ? `${data.accountId} ${data.from}->${data.to} (${data.reason})` : `${subject} ${data.jobs?.length}`,
  );
}

describe('scheduling posts through bus commands (real Postgres)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-03-01T12:00:00Z');
  });
  afterAll(async () => {
    await h.close();
  });

  it('rejects bad input with coded errors and stores nothing', async () => {
    const before = [await h.count('posts'), await h.count('schedules'), await h.count('publish_jobs')];
    const cases: [Record<string, unknown>, string][] = [
      [{ post: post(['a1']), when: { mode: 'at', at: '2026-03-08T02:30' }, zone: 'Mars/Base' }, 'invalid_zone'],
      [{ post: post(['a1']), when: { mode: 'at', at: '2026-02-01T09:00' }, zone: 'UTC' }, 'time_in_past'],
      [{ post: post([]), when: { mode: 'at', at: '2026-03-08T09:00' }, zone: 'UTC' }, 'no_targets'],
      [{ post: post(['a1']), when: { mode: 'at', at: 'next tuesday' }, zone: 'UTC' }, 'invalid_time'],
      [{ postId: 'not-a-uuid', when: { mode: 'now' }, zone: 'UTC' }, 'not_found'],
    ];
    for (const [req, code] of cases) {
      const reply = await h.call(SchedulerSchedulePost, req as never);
      expect(reply.ok ? 'ok' : reply.error.code).toBe(code);
    }
    expect([await h.count('posts'), await h.count('schedules'), await h.count('publish_jobs')]).toEqual(before);
  });

  it('schedules a wall time in the user zone (DST gap moves forward) and only its workspace sees it', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['a1', 'a2']), when: { mode: 'at', at: '2026-03-08T02:30' }, zone: 'America/New_York', catchUp: { mode: 'skip' } });
    expect(res.jobs.map((j) => [j.accountId, j.dueAt, j.dueLocal, j.state])).toEqual([
      ['a1', '2026-03-08T07:30:00.000Z', '2026-03-08T03:30:00.000-04:00', 'pending'],
      ['a2', '2026-03-08T07:30:00.000Z', '2026-03-08T03:30:00.000-04:00', 'pending'],
    ]);
    const other = await h.call(SchedulerGetPost, { id: res.postId }, 'ws-b');
    expect(other.ok ? 'visible' : other.error.code).toBe('not_found');
    const mine = await h.ok(SchedulerGetPost, { id: res.postId });
    expect(mine.jobs).toHaveLength(2);
    const outbox = (await h.ds.query(`SELECT count(*)::int AS n FROM scheduler.outbox WHERE subject = 'post.scheduled'`)) as { n: number }[];
    expect(outbox[0].n).toBeGreaterThanOrEqual(1);
  });

  it('pages jobs with a keyset cursor and lists upcoming ones within a window', async () => {
    await h.ok(SchedulerSchedulePost, { post: post(['p1']), when: { mode: 'at', at: '2026-03-01T15:00:00Z' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    const first = await h.ok(SchedulerListJobs, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await h.ok(SchedulerListJobs, { limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((j) => j.id)).not.toContain(first.items[0].id);
    expect(first.items.length + second.items.length).toBe(3);
    const upcoming = await h.ok(SchedulerUpcoming, { hours: 6, limit: 100 });
    expect(upcoming.items.map((j) => j.accountId)).toEqual(['p1']);
    const bad = await h.call(SchedulerListJobs, { limit: 2, cursor: 'garbage' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('invalid_cursor');
    const badId = await h.call(SchedulerListJobs, { limit: 2, postId: 'nope' });
    expect(badId.ok ? 'ok' : badId.error.code).toBe('not_found');
  });

  it('soft-deletes a post (cancelling its jobs) and restores it', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['d1']), when: { mode: 'at', at: '2026-03-05T10:00' }, zone: 'Europe/Berlin', catchUp: { mode: 'skip' } });
    expect(await h.ok(SchedulerDeletePost, { id: res.postId })).toEqual({ id: res.postId, cancelledJobs: 1 });
    expect((await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0].state).toBe('cancelled');
    const restored = await h.ok(SchedulerRestorePost, { id: res.postId });
    expect(restored.deletedAt).toBeNull();
    const detail = await h.ok(SchedulerGetPost, { id: res.postId });
    expect(detail.jobs[0].state).toBe('pending');
    expect(detail.history.map((x) => x.to)).toEqual(['pending', 'cancelled']);
    expect(await h.ok(SchedulerCancelPost, { id: res.postId })).toEqual({ cancelledJobs: 1 });
    expect(await announced(h, res.postId)).toEqual([
      'post.scheduled 1',
      'd1 pending->cancelled (post deleted)',
      'd1 cancelled->pending (post restored)',
      'd1 pending->cancelled (cancelled by user)',
    ]);
  });

  it('puts posts into each account\'s next free slot in its zone, never two in one slot', async () => {
    await h.ok(SchedulerSetSlots, { accountId: 's1', zone: 'Europe/Berlin', times: ['09:00', '18:00'], spacingMinutes: 60 });
    const a = await h.ok(SchedulerSchedulePost, { post: post(['s1']), when: { mode: 'next_slot' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    const b = await h.ok(SchedulerSchedulePost, { post: post(['s1']), when: { mode: 'next_slot' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    // 2026-03-01 12:00Z is 13:00 in Berlin (CET): next slots are 18:00 today, then 09:00 tomorrow.
    expect([a.jobs[0].dueAt, b.jobs[0].dueAt]).toEqual(['2026-03-01T17:00:00.000Z', '2026-03-02T08:00:00.000Z']);
    const next = await h.ok(SchedulerNextSlots, { accountId: 's1', count: 1 });
    expect(next.slots).toEqual([{ at: '2026-03-02T17:00:00.000Z', local: '2026-03-02T18:00:00.000+01:00' }]);
  });

  it('posts now: dispatches at once, and a published outcome completes the job with its URL', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['n1']), when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.dispatcher.runOnce();
    const job = (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0];
    expect([job.state, job.attempt]).toEqual(['dispatched', 1]);
    await h.bus.publish(
      PostPublished,
      { jobId: job.id, postId: res.postId, targetId: job.targetId ?? '', accountId: 'n1', platform: 'bluesky', attempt: 1, platformPostId: 'at://p/1', url: 'https://bsky.app/p/1', publishedAt: h.clock.now().toISOString() },
      { workspaceId: 'ws-a', correlationId: 'c1' },
    );
    await until(async () => (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0].state === 'published', 10_000, 'published outcome applied');
    const done = (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0];
    expect([done.platformPostId, done.url]).toEqual(['at://p/1', 'https://bsky.app/p/1']);
    const force = await h.call(SchedulerForcePost, { id: res.postId });
    expect(force.ok ? 'ok' : force.error.code).toBe('nothing_to_force');
    const stats = await h.ok(SchedulerStats, { zone: 'UTC' });
    expect(stats.published).toBe(1);
    expect(stats.publishedToday).toBe(1);
  });

  it('re-dispatches a retrying job as a new attempt at its retry time; a person resolves an unknown outcome', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['r1']), when: { mode: 'now' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.dispatcher.runOnce();
    const job = (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0];
    const ref = { jobId: job.id, postId: res.postId, targetId: job.targetId ?? '', accountId: 'r1', platform: 'bluesky' };
    const retryAt = new Date(h.clock.nowMs() + 60_000).toISOString();
    await h.bus.publish(PostRetrying, { ...ref, attempt: 1, errorClass: 'retryable', message: 'HTTP 503', retryAt }, { workspaceId: 'ws-a', correlationId: 'c2' });
    await until(async () => (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0].state === 'retry_wait', 10_000, 'retry_wait');
    // A late duplicate of the attempt-1 outcome changes nothing once the job moved on.
    h.clock.advance(60_000);
    await h.dispatcher.runOnce();
    await until(async () => (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0].attempt === 2, 10_000, 'attempt 2 dispatched');
    await h.bus.publish(PostFailed, { ...ref, attempt: 1, errorClass: 'rejected', message: 'stale' }, { workspaceId: 'ws-a', correlationId: 'c3' });
    await h.bus.publish(PostUnknown, { ...ref, attempt: 2, message: 'connection reset after send' }, { workspaceId: 'ws-a', correlationId: 'c4' });
    await until(async () => (await h.ok(SchedulerGetPost, { id: res.postId })).jobs[0].state === 'unknown', 10_000, 'unknown');
    const retry = await h.call(SchedulerRetryJob, { id: job.id });
    expect(retry.ok ? 'ok' : retry.error.code).toBe('not_failed');
    const resolved = await h.ok(SchedulerResolveUnknown, { id: job.id, outcome: 'published', platformPostId: 'at://p/9', url: 'https://bsky.app/p/9' });
    expect([resolved.state, resolved.attempt, resolved.url, resolved.errorClass]).toEqual(['published', 2, 'https://bsky.app/p/9', 'retryable']);
    const history = (await h.ok(SchedulerGetPost, { id: res.postId })).history.map((x) => x.to).reverse();
    expect(history).toEqual(['dispatched', 'retry_wait', 'dispatched', 'unknown', 'published']);
  });

  it('announces each job a person moves as post.state.changed, in the same transaction', async () => {
    const res = await h.ok(SchedulerSchedulePost, { post: post(['e1', 'e2']), when: { mode: 'at', at: '2026-03-09T10:00' }, zone: 'UTC', catchUp: { mode: 'skip' } });
    await h.ok(SchedulerReschedulePost, { id: res.postId, at: '2026-03-10T10:00', zone: 'UTC' });
    await h.ok(SchedulerCancelPost, { id: res.postId });
    await h.ok(SchedulerDeletePost, { id: res.postId });
    // In commit order; the two accounts' jobs of one statement may come in either order.
    const lines = await announced(h, res.postId);
    expect([lines[0], lines.slice(1, 3).sort(), lines[3], lines.slice(4).sort()]).toEqual([
      'post.scheduled 2',
      ['e1 pending->cancelled (rescheduled)', 'e2 pending->cancelled (rescheduled)'],
      'post.scheduled 2',
      ['e1 pending->cancelled (cancelled by user)', 'e2 pending->cancelled (cancelled by user)'],
    ]);
    // Nothing was left to cancel by the delete, so it announced nothing; the history agrees.
    const history = (await h.ok(SchedulerGetPost, { id: res.postId })).history;
    expect(history.filter((x) => x.to === 'cancelled').map((x) => x.from)).toEqual(['pending', 'pending', 'pending', 'pending']);
    const refused = await h.call(SchedulerRetryJob, { id: history[0].jobId });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('not_failed');
    expect(await announced(h, res.postId)).toHaveLength(6);
  });

  it('creates posts on their own for later scheduling', async () => {
    const p = await h.ok(SchedulerCreatePost, post(['c1']));
    expect(p.targets.map((t) => t.accountId)).toEqual(['c1']);
  });
});
