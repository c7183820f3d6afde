import {
  SchedulerCreatePost, SchedulerCreateTask, SchedulerPatchScheduledPost, SchedulerReschedulePost, SchedulerSchedulePost, SchedulerSpacePosts,
  SchedulerUpdatePost, SchedulerValidatePost, type CommandRequest, type PublisherPreflight,
} from '@sx/contracts';
import { PREFLIGHT_ALL_OK, startApp, type AppHarness } from '../testing/app-harness';

const post = (accounts: string[], text = 'launch day') => ({
  text, hashtags: [], mediaIds: [], overrides: {}, labels: [], targets: accounts.map((accountId) => ({ accountId, platform: 'bluesky' })),
});
const at = (iso: string) => ({ when: { mode: 'at' as const, at: iso }, zone: 'UTC', catchUp: { mode: 'publish_late' as const, maxLateMinutes: 60 } });

/** A publisher stand-in: account "acct-off" is disconnected; texts over 300 characters are too long for everyone. */
function strict(req: CommandRequest<typeof PublisherPreflight>) {
  const base = PREFLIGHT_ALL_OK(req);
  return {
    ok: false,
    targets: base.targets.map((t) => {
      const violations = [
        ...(t.accountId === 'acct-off' ? [{ rule: 'account.not_connected', message: 'disconnected' }] : []),
        ...(req.content.text.length > 300 ? [{ rule: 'text.max_length', message: 'too long', limit: 300, actual: req.content.text.length }] : []),
      ];
      return { ...t, ok: violations.length === 0, violations, caps: t.accountId === 'acct-capped' ? [{ name: 'day', limit: 2, windowS: 86400, resetZone: 'America/Los_Angeles' }] : [] };
    }),
  };
}

describe('the pre-flight gate: every command that plans a publish asks first and stores nothing when refused', () => {
  let h: AppHarness;
  const seen: CommandRequest<typeof PublisherPreflight>[] = [];
  beforeAll(async () => {
    h = await startApp('2026-03-01T12:00:00Z');
    h.preflight = (req) => {
      seen.push(req);
      const r = strict(req);
      return { ...r, ok: r.targets.every((t) => t.ok) };
    };
  });
  afterAll(async () => {
    await h.close();
  });

  async function counts(): Promise<number[]> {
    return [await h.count('posts'), await h.count('schedules'), await h.count('publish_jobs')];
  }

  it('schedule: 422 preflight_failed with every target\'s rules; nothing stored', async () => {
    const before = await counts();
    const reply = await h.call(SchedulerSchedulePost, { post: post(['acct-ok', 'acct-off'], 'x'.repeat(301)), ...at('2026-03-05T09:00') });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toMatchObject({ code: 'preflight_failed', status: 422 });
    const targets = (reply.error.details as { targets: { accountId: string; violations: { rule: string }[] }[] }).targets;
    expect(targets.map((t) => [t.accountId, t.violations.map((v) => v.rule)])).toEqual([
      ['acct-ok', ['text.max_length']],
      ['acct-off', ['account.not_connected', 'text.max_length']],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('edit: a scheduled post\'s text edit is checked (and refused), a draft\'s is not', async () => {
    const { postId } = await h.ok(SchedulerSchedulePost, { post: post(['acct-ok']), ...at('2026-03-05T09:00') });
    const refused = await h.call(SchedulerUpdatePost, { id: postId, text: 'y'.repeat(301) });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('preflight_failed');
    const draft = await h.ok(SchedulerCreatePost, post(['acct-ok']));
    const edited = await h.call(SchedulerUpdatePost, { id: draft.id, text: 'y'.repeat(301) });
    expect(edited.ok).toBe(true);
  });

  it('reschedule and scheduled-post edits check the post as it would be: new targets included', async () => {
    const { postId } = await h.ok(SchedulerSchedulePost, { post: post(['acct-ok']), ...at('2026-03-05T09:00') });
    const patched = await h.call(SchedulerPatchScheduledPost, { id: postId, targets: [{ accountId: 'acct-off', platform: 'bluesky' }] });
    expect(patched.ok ? 'ok' : patched.error.code).toBe('preflight_failed');
    const draft = await h.ok(SchedulerCreatePost, post(['acct-off']));
    const rescheduled = await h.call(SchedulerReschedulePost, { id: draft.id, at: '2026-03-06T09:00', zone: 'UTC' });
    expect(rescheduled.ok ? 'ok' : rescheduled.error.code).toBe('preflight_failed');
    const spaced = await h.call(SchedulerSpacePosts, { postIds: [draft.id], catchUp: { mode: 'skip' } });
    expect(spaced.ok ? 'ok' : spaced.error.code).toBe('preflight_failed');
  });

  it('tasks: a recurring publish of a post that cannot publish, and a webhook call to a disconnected account, are refused', async () => {
    const draft = await h.ok(SchedulerCreatePost, post(['acct-off']));
    const recurrence = { kind: 'rrule' as const, rule: 'FREQ=DAILY', start: '2026-03-02T09:00' };
    const task = await h.call(SchedulerCreateTask, { name: 'daily', recurrence, zone: 'UTC', action: { type: 'publish_post', postId: draft.id }, catchUp: { mode: 'skip' }, paused: false });
    expect(task.ok ? 'ok' : task.error.code).toBe('preflight_failed');
    const hook = await h.call(SchedulerCreateTask, { name: 'ping', recurrence, zone: 'UTC', action: { type: 'call_webhook', accountId: 'acct-off', payload: { hello: 1 } }, catchUp: { mode: 'skip' }, paused: false });
    expect(hook.ok ? 'ok' : hook.error.code).toBe('preflight_failed');
    expect(seen[seen.length - 1]).toMatchObject({ content: { text: '{"hello":1}' }, targets: [{ accountId: 'acct-off' }] });
  });

  it('quota: a daily cap the manifest declares counts the jobs already planned that calendar day in the cap\'s zone', async () => {
    await h.ok(SchedulerSchedulePost, { post: post(['acct-capped']), ...at('2026-03-05T09:00') });
    await h.ok(SchedulerSchedulePost, { post: post(['acct-capped']), ...at('2026-03-05T15:00') });
    // 2026-03-06T07:00Z is still 5 March in Los Angeles: the third post that day.
    const third = await h.call(SchedulerSchedulePost, { post: post(['acct-capped']), ...at('2026-03-06T07:00') });
    expect(third.ok ? 'ok' : [third.error.code, JSON.stringify(third.error.details)]).toEqual(['preflight_failed', expect.stringContaining('quota.day')]);
    await h.ok(SchedulerSchedulePost, { post: post(['acct-capped']), ...at('2026-03-06T09:00') });
  });

  it('validate answers per target without storing anything', async () => {
    const before = await counts();
    const r = await h.ok(SchedulerValidatePost, { post: post(['acct-ok', 'acct-off']), zone: 'UTC' });
    expect(r.ok).toBe(false);
    expect(r.targets.map((t) => [t.accountId, t.ok, t.violations.map((v) => v.rule)])).toEqual([['acct-ok', true, []], ['acct-off', false, ['account.not_connected']]]);
    expect(await counts()).toEqual(before);
  });
});
