import {
  SchedulerCreatePost, SchedulerCreateTask, SchedulerGetPost, SchedulerGetTask, SchedulerListJobs, SchedulerPatchScheduledPost, SchedulerPatchTask,
  SchedulerSchedulePost, SchedulerUpdatePost, SchedulerUpdateTask,
} from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';

const MEDIA = '0b6f7a0e-2a59-4d3c-9c11-1f0c2d7f4a10';
const full = {
  title: 'Launch',
  text: 'launch day',
  hashtags: ['launch', 'news'],
  mediaIds: [MEDIA],
  overrides: { bluesky: { text: 'launch day, bluesky cut' } },
  labels: ['campaign-a'],
  targets: [{ accountId: 'acct-1', platform: 'bluesky' }],
};

describe('partial edits (PATCH semantics: absent = unchanged, null = cleared)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-03-01T12:00:00Z');
  });
  afterAll(async () => {
    await h.close();
  });

  it('a post edited with only text keeps media, hashtags, labels, overrides and title', async () => {
    const created = await h.ok(SchedulerCreatePost, full);
    const edited = await h.ok(SchedulerUpdatePost, SchedulerUpdatePost.request.parse({ id: created.id, text: 'edited' }));
    expect(edited).toMatchObject({ text: 'edited', title: 'Launch', hashtags: ['launch', 'news'], mediaIds: [MEDIA], labels: ['campaign-a'], overrides: full.overrides });
    expect(edited.targets.map((x) => x.accountId)).toEqual(['acct-1']);
  });

  it('null clears the title, [] clears a list, and the other fields stay', async () => {
    const created = await h.ok(SchedulerCreatePost, full);
    const edited = await h.ok(SchedulerUpdatePost, SchedulerUpdatePost.request.parse({ id: created.id, title: null, hashtags: [] }));
    expect(edited.title).toBeUndefined();
    expect(edited).toMatchObject({ text: 'launch day', hashtags: [], mediaIds: [MEDIA], labels: ['campaign-a'] });
  });

  it('PATCH scheduled-posts changes the time alone, then the content alone, then the target accounts at the same time', async () => {
    const { postId } = await h.ok(SchedulerSchedulePost, { post: full, when: { mode: 'at', at: '2026-03-05T09:00' }, zone: 'Europe/Berlin', catchUp: { mode: 'publish_late', maxLateMinutes: 60 } });
    const moved = await h.ok(SchedulerPatchScheduledPost, SchedulerPatchScheduledPost.request.parse({ id: postId, at: '2026-03-06T10:30' }));
    expect(moved.post.text).toBe('launch day');
    expect(moved.jobs.filter((j) => j.state === 'pending').map((j) => [j.accountId, j.dueAt])).toEqual([['acct-1', '2026-03-06T09:30:00.000Z']]);

    const reworded = await h.ok(SchedulerPatchScheduledPost, SchedulerPatchScheduledPost.request.parse({ id: postId, text: 'new words' }));
    expect(reworded.post).toMatchObject({ text: 'new words', hashtags: ['launch', 'news'], mediaIds: [MEDIA] });
    expect(reworded.jobs.filter((j) => j.state === 'pending').map((j) => j.dueAt)).toEqual(['2026-03-06T09:30:00.000Z']);

    const retargeted = await h.ok(
      SchedulerPatchScheduledPost,
      SchedulerPatchScheduledPost.request.parse({ id: postId, targets: [{ accountId: 'acct-2', platform: 'mastodon' }] }),
    );
    expect(retargeted.post.targets.map((x) => [x.accountId, x.platform])).toEqual([['acct-2', 'mastodon']]);
    const pending = (await h.ok(SchedulerListJobs, { limit: 50, postId, state: 'pending' })).items;
    expect(pending.map((j) => [j.accountId, j.platform, j.dueAt])).toEqual([['acct-2', 'mastodon', '2026-03-06T09:30:00.000Z']]);
    const { jobs } = await h.ok(SchedulerGetPost, { id: postId });
    expect(jobs.filter((j) => j.accountId === 'acct-1').every((j) => j.state === 'cancelled')).toBe(true);
  });

  it('a bad field in a scheduled-post edit changes nothing', async () => {
    const { postId } = await h.ok(SchedulerSchedulePost, { post: full, when: { mode: 'at', at: '2026-03-05T09:00' }, zone: 'UTC', catchUp: { mode: 'publish_late', maxLateMinutes: 60 } });
    const reply = await h.call(SchedulerPatchScheduledPost, SchedulerPatchScheduledPost.request.parse({ id: postId, text: 'should not stick', at: '2026-02-01T09:00' }));
    expect(reply.ok ? 'ok' : reply.error.code).toBe('time_in_past');
    expect((await h.ok(SchedulerGetPost, { id: postId })).post.text).toBe('launch day');
  });

  it('a task renamed or paused by PATCH keeps the rest; a new recurrence re-plans; PUT needs every field', async () => {
    const post = await h.ok(SchedulerCreatePost, full);
    const task = await h.ok(SchedulerCreateTask, {
      name: 'daily', recurrence: { kind: 'rrule', rule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0', start: '2026-03-02T09:00' }, zone: 'UTC',
      action: { type: 'publish_post', postId: post.id }, catchUp: { mode: 'skip' }, paused: false,
    });
    const renamed = await h.ok(SchedulerPatchTask, SchedulerPatchTask.request.parse({ id: task.id, name: 'every morning' }));
    expect(renamed).toMatchObject({ name: 'every morning', recurrence: task.recurrence, zone: 'UTC', catchUp: { mode: 'skip' }, paused: false, nextRunAt: task.nextRunAt });
    const paused = await h.ok(SchedulerPatchTask, SchedulerPatchTask.request.parse({ id: task.id, paused: true }));
    expect(paused).toMatchObject({ name: 'every morning', paused: true, catchUp: { mode: 'skip' } });
    const moved = await h.ok(SchedulerPatchTask, SchedulerPatchTask.request.parse({ id: task.id, recurrence: { kind: 'rrule', rule: 'FREQ=DAILY;BYHOUR=18;BYMINUTE=0', start: '2026-03-02T18:00' } }));
    expect(moved).toMatchObject({ name: 'every morning', paused: true, catchUp: { mode: 'skip' }, action: { type: 'publish_post', postId: post.id } });
    expect((await h.ok(SchedulerGetTask, { id: task.id })).recurrence).toMatchObject({ rule: 'FREQ=DAILY;BYHOUR=18;BYMINUTE=0' });
    const partialPut = SchedulerUpdateTask.request.safeParse({ id: task.id, name: 'x', recurrence: task.recurrence, zone: 'UTC', action: task.action });
    expect(partialPut.success ? [] : partialPut.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['catchUp', 'paused']);
  });
});
