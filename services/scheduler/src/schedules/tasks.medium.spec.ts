import {
  DispatchRequested, PipelineRunRequested, SchedulerCreatePost, SchedulerCreateTask, SchedulerDeleteTask, SchedulerExecuteTask, SchedulerGetTask,
  SchedulerListJobs, SchedulerListTasks, SchedulerPauseTask, SchedulerPreviewRecurrence, SchedulerResumeTask, SchedulerTaskExecutions,
  SchedulerUpdateTask,
} from '@sx/contracts';
import { startApp, type AppHarness } from '../testing/app-harness';
import { until } from '../testing/medium-harness';

describe('recurring schedules ("tasks") through bus commands (real Postgres)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp('2026-10-30T12:00:00Z');
  });
  afterAll(async () => {
    await h.close();
  });

  it('rejects invalid recurrences with coded errors and stores nothing', async () => {
    const base = { name: 'bad', zone: 'UTC', action: { type: 'run_pipeline' as const, pipeline: 'ingest', params: {} }, catchUp: { mode: 'skip' as const }, paused: false };
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'rrule', rule: 'FREQ=DAILY;INTERVAL=abc', start: '2026-11-01T09:00' }, 'invalid_rrule'],
      [{ kind: 'cron', expression: '99 * * * *' }, 'invalid_cron'],
      [{ kind: 'rrule', rule: 'FREQ=DAILY', start: '2026-11-02T09:00', until: '2026-11-01T09:00' }, 'until_before_start'],
    ];
    for (const [recurrence, code] of cases) {
      const reply = await h.call(SchedulerCreateTask, { ...base, recurrence } as never);
      expect(reply.ok ? 'ok' : reply.error.code).toBe(code);
    }
    const zone = await h.call(SchedulerCreateTask, { ...base, zone: 'Not/AZone', recurrence: { kind: 'cron', expression: '0 9 * * *' } });
    expect(zone.ok ? 'ok' : zone.error.code).toBe('invalid_zone');
    const post = await h.call(SchedulerCreateTask, { ...base, action: { type: 'publish_post', postId: 'nope' }, recurrence: { kind: 'cron', expression: '0 9 * * *' } });
    expect(post.ok ? 'ok' : post.error.code).toBe('not_found');
    expect(await h.count('schedules')).toBe(0);
  });

  it('previews the next occurrences across the New York fall-back', async () => {
    const res = await h.ok(SchedulerPreviewRecurrence, { recurrence: { kind: 'rrule', rule: 'FREQ=DAILY', start: '2026-10-31T01:30' }, zone: 'America/New_York', count: 3 });
    expect(res.occurrences).toEqual([
      { at: '2026-10-31T05:30:00.000Z', local: '2026-10-31T01:30:00.000-04:00' },
      { at: '2026-11-01T05:30:00.000Z', local: '2026-11-01T01:30:00.000-04:00' },
      { at: '2026-11-02T06:30:00.000Z', local: '2026-11-02T01:30:00.000-05:00' },
    ]);
  });

  it('materialises a publishing task, pauses and resumes it, and fans out to the post targets', async () => {
    const p = await h.ok(SchedulerCreatePost, { text: 'daily tip', hashtags: [], mediaIds: [], overrides: {}, labels: [], targets: [{ accountId: 't1', platform: 'bluesky' }, { accountId: 't2', platform: 'x' }] });
    const task = await h.ok(SchedulerCreateTask, {
      name: 'daily tip', zone: 'Europe/Berlin', recurrence: { kind: 'cron', expression: '0 9 * * *' }, action: { type: 'publish_post', postId: p.id }, catchUp: { mode: 'skip' }, paused: false,
    });
    // Next 48 h from 2026-10-30 12:00Z: Berlin is already CET (+01:00, since 25 Oct), so 09:00 is 08:00Z on 31 Oct and 1 Nov.
    const jobs = await h.ok(SchedulerListJobs, { limit: 50, postId: p.id });
    expect(jobs.items.map((j) => `${j.dueAt} ${j.accountId}`).sort()).toEqual([
      '2026-10-31T08:00:00.000Z t1', '2026-10-31T08:00:00.000Z t2', '2026-11-01T08:00:00.000Z t1', '2026-11-01T08:00:00.000Z t2',
    ]);
    expect(jobs.items.every((j) => j.dueLocal.endsWith('T09:00:00.000+01:00'))).toBe(true);
    expect(task.nextRunAt).toBe('2026-10-31T08:00:00.000Z');
    expect((await h.ok(SchedulerPauseTask, { id: task.id })).paused).toBe(true);
    expect((await h.ok(SchedulerListJobs, { limit: 50, postId: p.id, state: 'paused' })).items).toHaveLength(4);
    expect((await h.ok(SchedulerResumeTask, { id: task.id })).paused).toBe(false);
    expect((await h.ok(SchedulerListJobs, { limit: 50, postId: p.id, state: 'pending' })).items).toHaveLength(4);
    const history = await h.ok(SchedulerTaskExecutions, { id: task.id, limit: 5 });
    expect(history.items).toHaveLength(5);
    expect(history.nextCursor).not.toBeNull();
    expect((await h.ok(SchedulerListTasks, { limit: 10 })).items.map((t) => t.id)).toContain(task.id);
  });

  it('calls a webhook by dispatching to the webhook plugin with the payload', async () => {
    const seen: { accountId: string; text: string; settings: Record<string, unknown> }[] = [];
    await h.bus.subscribe(DispatchRequested, async (d) => void seen.push({ accountId: d.envelope.data.accountId, text: d.envelope.data.content.text, settings: d.envelope.data.content.settings }), {
      durable: 'test-webhook',
      subject: 'dispatch.webhook',
    });
    const task = await h.ok(SchedulerCreateTask, {
      name: 'ping', zone: 'UTC', recurrence: { kind: 'cron', expression: '0 * * * *' }, action: { type: 'call_webhook', accountId: 'hook-1', payload: { event: 'tick' } },
      catchUp: { mode: 'skip' }, paused: false,
    });
    expect((await h.ok(SchedulerExecuteTask, { id: task.id })).jobs.map((j) => [j.kind, j.platform])).toEqual([['webhook', 'webhook']]);
    await h.dispatcher.runOnce();
    // Two fire now: the run-now job and the hourly occurrence at the creation instant (12:00:00).
    await until(() => seen.length === 2, 10_000, 'dispatch.webhook');
    // The webhook plugin requires text: the payload goes as JSON text (it used to be empty: text.required, always).
    const sent = { accountId: 'hook-1', text: '{"event":"tick"}', settings: { event: 'tick' } };
    expect(seen).toEqual([sent, sent]);
    // Seed 003's "last run" and run count: the task's fired runs — "execute now" is one of them, under the task's own id.
    const fired = await h.ok(SchedulerGetTask, { id: task.id });
    expect([fired.runCount, fired.lastRunAt]).toEqual([2, '2026-10-30T12:00:00.000Z']);
    const listed = (await h.ok(SchedulerListTasks, { limit: 50 })).items.find((t) => t.id === task.id);
    expect([listed?.runCount, listed?.lastRunAt]).toEqual([2, '2026-10-30T12:00:00.000Z']);
    expect(task.runCount).toBe(0);
    const history = await h.ok(SchedulerTaskExecutions, { id: task.id, limit: 50 });
    expect(new Set(history.items.map((x) => x.jobId)).size).toBe(2);
    // Right after the 12:00 run, the next run is 13:00 (it used to stay at 12:00 until the next materialising pass).
    expect(fired.nextRunAt).toBe('2026-10-30T13:00:00.000Z');
    await h.ok(SchedulerDeleteTask, { id: task.id });
  });

  it('lists tasks filtered by ?paused= and ?q= (part of the name, case-insensitive, no wildcards)', async () => {
    const base = { zone: 'UTC', recurrence: { kind: 'cron' as const, expression: '0 9 * * *' }, action: { type: 'run_pipeline' as const, pipeline: 'ingest', params: {} }, catchUp: { mode: 'skip' as const } };
    const a = await h.ok(SchedulerCreateTask, { ...base, name: 'Morning ingest', paused: false });
    const b = await h.ok(SchedulerCreateTask, { ...base, name: 'Evening ingest', paused: true });
    const c = await h.ok(SchedulerCreateTask, { ...base, name: '100% sure', paused: false });
    // The harness clock stands still, so the tasks share created_at: compare which ones match, not their order.
    const ids = async (req: Record<string, unknown>) => (await h.ok(SchedulerListTasks, SchedulerListTasks.request.parse({ limit: 50, ...req }))).items.map((t) => t.id).filter((id) => [a.id, b.id, c.id].includes(id)).sort();
    expect(await ids({ paused: true })).toEqual([b.id]);
    expect(await ids({ paused: false })).toEqual([c.id, a.id].sort());
    expect(await ids({ q: 'INGEST' })).toEqual([b.id, a.id].sort());
    expect(await ids({ q: 'ingest', paused: false })).toEqual([a.id]);
    expect(await ids({ q: '%' })).toEqual([c.id]);
    for (const t of [a, b, c]) await h.ok(SchedulerDeleteTask, { id: t.id });
  });

  it('runs a pipeline task now, emitting the pipeline request, and replaces and deletes tasks', async () => {
    const seen: string[] = [];
    await h.bus.subscribe(PipelineRunRequested, async (d) => void seen.push(d.envelope.data.pipeline), { durable: 'test-pipeline' });
    const task = await h.ok(SchedulerCreateTask, {
      name: 'weekly ingest', zone: 'Asia/Kolkata', recurrence: { kind: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-11-02T06:00' },
      action: { type: 'run_pipeline', pipeline: 'ingest', params: { folder: 'inbox' } }, catchUp: { mode: 'publish_late', maxLateMinutes: 30 }, paused: false,
    });
    const run = await h.ok(SchedulerExecuteTask, { id: task.id });
    expect(run.jobs.map((j) => j.kind)).toEqual(['pipeline']);
    await h.dispatcher.runOnce();
    await until(() => seen.includes('ingest'), 10_000, 'pipeline.run.requested');
    const updated = await h.ok(SchedulerUpdateTask, {
      id: task.id, name: 'daily ingest', zone: 'Asia/Kolkata', recurrence: { kind: 'cron', expression: '30 6 * * *' },
      action: { type: 'run_pipeline', pipeline: 'ingest', params: {} }, catchUp: { mode: 'skip' }, paused: false,
    });
    expect([updated.id, updated.name, updated.nextRunAt]).toEqual([task.id, 'daily ingest', '2026-10-31T01:00:00.000Z']);
    expect(await h.ok(SchedulerDeleteTask, { id: task.id })).toEqual({ ok: true });
    const gone = await h.call(SchedulerGetTask, { id: task.id });
    expect(gone.ok ? 'ok' : gone.error.code).toBe('not_found');
  });
});
