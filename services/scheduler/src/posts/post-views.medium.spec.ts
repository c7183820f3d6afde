import {
  SchedulerCalendarRange, SchedulerCancelPost, SchedulerCreatePost, SchedulerDeletePost, SchedulerPostFeed, SchedulerReschedulePost,
  SchedulerSchedulePost,
} from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';

const content = (text: string, platform = 'bluesky', accountId = `acc-${platform}`) => ({
  text,
  hashtags: ['#clips'],
  mediaIds: [],
  overrides: {},
  labels: [],
  targets: [{ accountId, platform }],
});

describe('schedule read models: post feed and calendar range (real Postgres)', () => {
  let h: AppHarness;
  const ids: Record<string, string> = {};
  const schedule = async (name: string, at: string, platform = 'bluesky', ws?: string) => {
    const res = await h.ok(SchedulerSchedulePost, { post: content(name, platform), when: { mode: 'at', at }, zone: 'UTC', catchUp: { mode: 'skip' } }, ws);
    ids[name] = res.postId;
    return res;
  };

  beforeAll(async () => {
    h = await startApp('2026-06-01T00:00:00Z');
    for (let i = 0; i < 7; i++) await schedule(`post ${i}`, `2026-06-${String(10 + i).padStart(2, '0')}T09:00:00Z`);
    await schedule('on mastodon', '2026-06-12T12:00:00Z', 'mastodon');
    await schedule('moved', '2026-06-11T10:00:00Z');
    await h.ok(SchedulerReschedulePost, { id: ids['moved'], at: '2026-06-20T10:00:00Z', zone: 'UTC' });
    await schedule('called off', '2026-06-13T10:00:00Z');
    await h.ok(SchedulerCancelPost, { id: ids['called off'] });
    await schedule('removed', '2026-06-14T10:00:00Z');
    await h.ok(SchedulerDeletePost, { id: ids['removed'] });
    const draft = await h.ok(SchedulerCreatePost, content('a draft'));
    ids['a draft'] = draft.id;
    await schedule('other workspace', '2026-06-12T09:30:00Z', 'bluesky', 'ws-b');
  });
  afterAll(async () => {
    await h.close();
  });

  it('pages every post of the workspace by due time, without repeats, and counts them all', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let total = -1;
    do {
      const page = await h.ok(SchedulerPostFeed, { limit: 3, cursor, includeDeleted: false });
      seen.push(...page.items.map((i) => i.post.text));
      total = page.total;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // The draft is listed under its creation (before every due time); deleted and foreign posts are not.
    expect(seen).toEqual(['a draft', 'post 0', 'post 1', 'post 2', 'on mastodon', 'post 3', 'called off', 'post 4', 'post 5', 'post 6', 'moved']);
    expect(total).toBe(11);
  });

  it('speaks for a post with its current jobs: a reschedule leaves no stale cancelled job behind', async () => {
    const page = await h.ok(SchedulerPostFeed, { limit: 50, q: 'moved', includeDeleted: false });
    expect(page.items).toHaveLength(1);
    const [moved] = page.items;
    expect(moved.status).toBe('pending');
    expect(moved.dueAt).toBe('2026-06-20T10:00:00.000Z');
    expect(moved.jobs.map((j) => [j.state, j.dueAt])).toEqual([['pending', '2026-06-20T10:00:00.000Z']]);
  });

  it('filters on the server: status, platform, text, deleted', async () => {
    const statusOf = async (status: 'draft' | 'cancelled' | 'published' | 'pending') =>
      (await h.ok(SchedulerPostFeed, { limit: 50, status, includeDeleted: status === 'cancelled' })).items.map((i) => i.post.text);
    expect(await statusOf('draft')).toEqual(['a draft']);
    expect(await statusOf('published')).toEqual([]);
    expect(await statusOf('cancelled')).toEqual(['called off', 'removed']);
    expect(await statusOf('pending')).toHaveLength(9);
    const mastodon = await h.ok(SchedulerPostFeed, { limit: 50, platform: 'mastodon', includeDeleted: false });
    expect(mastodon.items.map((i) => i.post.text)).toEqual(['on mastodon']);
    expect(mastodon.total).toBe(1);
    // LIKE wildcards in the query are literal characters.
    expect((await h.ok(SchedulerPostFeed, { limit: 50, q: '%', includeDeleted: false })).items).toEqual([]);
    expect((await h.ok(SchedulerPostFeed, { limit: 50, q: 'POST 3', includeDeleted: false })).items.map((i) => i.post.text)).toEqual(['post 3']);
  });

  it('answers a calendar range with one lean chip per post and instant; a moved occurrence is gone, a cancelled post stays', async () => {
    const { items, truncated } = await h.ok(SchedulerCalendarRange, { from: '2026-06-11T00:00:00Z', to: '2026-06-13T23:59:59Z' });
    expect(truncated).toBe(false);
    expect(items.map((c) => [c.label, c.dueAt, c.status, c.platforms])).toEqual([
      ['post 1', '2026-06-11T09:00:00.000Z', 'pending', ['bluesky']],
      ['post 2', '2026-06-12T09:00:00.000Z', 'pending', ['bluesky']],
      ['on mastodon', '2026-06-12T12:00:00.000Z', 'pending', ['mastodon']],
      ['post 3', '2026-06-13T09:00:00.000Z', 'pending', ['bluesky']],
      ['called off', '2026-06-13T10:00:00.000Z', 'cancelled', ['bluesky']],
    ]);
    expect(Object.keys(items[0]).sort()).toEqual(['dueAt', 'label', 'platforms', 'postId', 'status', 'zone']);
  });

  it('refuses a reversed or oversized calendar range with coded 422s', async () => {
    const reversed = await h.call(SchedulerCalendarRange, { from: '2026-06-11T00:00:00Z', to: '2026-06-10T00:00:00Z' });
    expect(reversed.ok ? 'ok' : [reversed.error.code, reversed.error.status]).toEqual(['invalid_range', 422]);
    const huge = await h.call(SchedulerCalendarRange, { from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(huge.ok ? 'ok' : [huge.error.code, huge.error.status]).toEqual(['range_too_large', 422]);
  });
});
