import { SchedulerGetSettings, SchedulerPatchSettings, SchedulerSchedulePost, SchedulerSetSlots } from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';

const post = (accountId: string) => ({ text: 'clip', hashtags: [], mediaIds: [], overrides: {}, labels: [], targets: [{ accountId, platform: 'bluesky' }] });
const catchUp = { mode: 'publish_late' as const, maxLateMinutes: 60 };

describe('default_post_time_offset (seed 001): a new post\'s time when no slot is free', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-03-01T12:00:00Z');
  });
  afterAll(async () => {
    await h.close();
  });

  it('is a workspace setting (default 60 minutes, PATCH semantics, per workspace)', async () => {
    expect(await h.ok(SchedulerGetSettings, {})).toEqual({ defaultPostTimeOffsetMinutes: 60 });
    expect(await h.ok(SchedulerPatchSettings, { defaultPostTimeOffsetMinutes: 90 })).toEqual({ defaultPostTimeOffsetMinutes: 90 });
    expect(await h.ok(SchedulerPatchSettings, {})).toEqual({ defaultPostTimeOffsetMinutes: 90 });
    expect(await h.ok(SchedulerGetSettings, {}, 'ws-other')).toEqual({ defaultPostTimeOffsetMinutes: 60 });
    const bad = await h.call(SchedulerPatchSettings, { defaultPostTimeOffsetMinutes: -5 });
    expect(bad.ok ? 'ok' : bad.error.status).toBe(422);
  });

  it('next-free-slot scheduling falls back to now + the offset when the account has no free slot (it used to answer 409 no_free_slot)', async () => {
    // One slot a day at 09:00 UTC, a week apart from any planned post: posts every 12 days block all 60 days searched.
    await h.ok(SchedulerSetSlots, { accountId: 'busy', zone: 'UTC', times: ['09:00'], spacingMinutes: 7 * 24 * 60 });
    for (const day of ['03-04', '03-16', '03-28', '04-09', '04-21', '04-30']) {
      await h.ok(SchedulerSchedulePost, { post: post('busy'), when: { mode: 'at', at: `2026-${day}T09:00` }, zone: 'UTC', catchUp });
    }
    const res = await h.ok(SchedulerSchedulePost, { post: post('busy'), when: { mode: 'next_slot' }, zone: 'UTC', catchUp });
    expect(res.jobs.map((j) => j.dueAt)).toEqual(['2026-03-01T13:30:00.000Z']);
    // An account with free slots still gets its next slot.
    const free = await h.ok(SchedulerSchedulePost, { post: post('free'), when: { mode: 'next_slot' }, zone: 'UTC', catchUp });
    expect(free.jobs.map((j) => j.dueAt)).toEqual(['2026-03-01T13:00:00.000Z']);
  });
});
