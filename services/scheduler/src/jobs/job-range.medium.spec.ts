import { SchedulerListJobs, SchedulerSchedulePost } from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';

const post = (accountId: string) => ({
  text: 'range',
  hashtags: [],
  mediaIds: [],
  overrides: {},
  labels: [],
  targets: [{ accountId, platform: 'bluesky' }],
});

describe('listing jobs within a due-time range (real Postgres)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-06-01T00:00:00Z');
    const at = ['2026-06-02T09:00:00Z', '2026-06-10T09:00:00Z', '2026-06-10T18:00:00Z', '2026-06-11T07:00:00Z', '2026-07-05T09:00:00Z'];
    for (const [i, when] of at.entries()) {
      await h.ok(SchedulerSchedulePost, { post: post(`acc-${i}`), when: { mode: 'at', at: when }, zone: 'UTC', catchUp: { mode: 'skip' } });
    }
    // Another workspace's job inside the same range must never show up.
    await h.ok(SchedulerSchedulePost, { post: post('other-ws'), when: { mode: 'at', at: '2026-06-10T12:00:00Z' }, zone: 'UTC', catchUp: { mode: 'skip' } }, 'ws-b');
  });
  afterAll(async () => {
    await h.close();
  });

  it('returns only jobs due within [from, to] (inclusive, any offset) of the caller\'s workspace', async () => {
    // 2026-06-10T00:00+02:00 = 06-09T22:00Z; to is exactly the 06-11T07:00Z job's due time (inclusive).
    const page = await h.ok(SchedulerListJobs, { limit: 50, from: '2026-06-10T00:00:00+02:00', to: '2026-06-11T07:00:00Z' });
    expect(page.items.map((j) => [j.accountId, j.dueAt])).toEqual([
      ['acc-1', '2026-06-10T09:00:00.000Z'],
      ['acc-2', '2026-06-10T18:00:00.000Z'],
      ['acc-3', '2026-06-11T07:00:00.000Z'],
    ]);
    expect(page.nextCursor).toBeNull();
    const openEnded = await h.ok(SchedulerListJobs, { limit: 50, from: '2026-06-11T00:00:00Z' });
    expect(openEnded.items.map((j) => j.accountId)).toEqual(['acc-3', 'acc-4']);
    const upTo = await h.ok(SchedulerListJobs, { limit: 50, to: '2026-06-09T23:59:59Z' });
    expect(upTo.items.map((j) => j.accountId)).toEqual(['acc-0']);
    const unbounded = await h.ok(SchedulerListJobs, { limit: 50 });
    expect(unbounded.items).toHaveLength(5);
  });

  it('keeps keyset pagination inside the range', async () => {
    const range = { from: '2026-06-02T00:00:00Z', to: '2026-06-30T23:59:59Z' };
    const first = await h.ok(SchedulerListJobs, { limit: 2, ...range });
    expect(first.items.map((j) => j.accountId)).toEqual(['acc-0', 'acc-1']);
    expect(first.nextCursor).not.toBeNull();
    const second = await h.ok(SchedulerListJobs, { limit: 2, cursor: first.nextCursor ?? undefined, ...range });
    expect(second.items.map((j) => j.accountId)).toEqual(['acc-2', 'acc-3']);
    // The July job lies past `to`, so the range ends here even though more jobs exist.
    expect(second.nextCursor).toBeNull();
  });

  it('rejects from after to, and non-instant bounds, with coded 422 errors', async () => {
    const reversed = await h.call(SchedulerListJobs, { limit: 10, from: '2026-06-11T00:00:00Z', to: '2026-06-10T00:00:00Z' });
    expect(reversed.ok ? 'ok' : [reversed.error.code, reversed.error.status]).toEqual(['invalid_range', 422]);
    const noOffset = await h.call(SchedulerListJobs, { limit: 10, from: '2026-06-11T00:00' });
    expect(noOffset.ok ? 'ok' : noOffset.error.code).toBe('validation_failed');
  });
});
