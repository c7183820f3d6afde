import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { PostsApi } from './posts.api';
import { JobView, PostView, fromWireRecurrence, toWireRecurrence } from './scheduler-wire';

const flush = () => new Promise((r) => setTimeout(r, 0));

const post = (id: string, deletedAt: string | null = null): PostView => ({
  id, title: `T ${id}`, text: 'hello', hashtags: ['#a'], mediaIds: [], overrides: {}, createdAt: '2026-06-01T00:00:00Z', deletedAt,
  targets: [{ id: `t-${id}`, accountId: 'acc', platform: 'webhook' }],
});
const job = (id: string, postId: string, state: JobView['state'], dueAt: string): JobView => ({
  id, postId, scheduleId: 's', accountId: 'acc', platform: 'webhook', kind: 'publish', state, dueAt, zone: 'Europe/Berlin',
  attempt: 1, lastError: state === 'failed' ? 'rejected: too long' : null, reason: null, platformPostId: null, url: null,
});

describe('PostsApi (scheduler adapter)', () => {
  let http: HttpTestingController;
  let api: PostsApi;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    api = TestBed.inject(PostsApi);
  });
  afterEach(() => http.verify());

  it('asks the server for a calendar range in one request', async () => {
    const res = api.calendar('2026-06-01T00:00:00.000Z', '2026-07-12T23:59:59.999Z');
    const req = http.expectOne((r) => r.url === '/api/schedule/calendar');
    expect([req.request.params.get('from'), req.request.params.get('to')]).toEqual(['2026-06-01T00:00:00.000Z', '2026-07-12T23:59:59.999Z']);
    req.flush({ items: [{ postId: 'p1', dueAt: '2026-06-02T08:00:00.000Z', zone: 'UTC', status: 'pending', label: 'T', platforms: ['webhook'] }], truncated: false });
    expect((await res).items).toHaveLength(1);
  });

  it('pages the post feed with server-side filters, keeping only the jobs that speak for each post', async () => {
    const res = api.list({ limit: 50, status: 'published', q: ' launch ', platform: 'webhook', cursor: 'c1' });
    const req = http.expectOne((r) => r.url === '/api/schedule/feed');
    expect(Object.fromEntries(req.request.params.keys().map((k) => [k, req.request.params.get(k)]))).toEqual({
      limit: '50', status: 'published', q: 'launch', platform: 'webhook', cursor: 'c1',
    });
    req.flush({
      items: [
        // p1 was rescheduled: the cancelled job it replaced is not one of its targets any more.
        { post: post('p1'), status: 'pending', dueAt: '2026-06-02T08:00:00Z', jobs: [job('j1', 'p1', 'cancelled', '2026-06-01T08:00:00Z'), job('j2', 'p1', 'pending', '2026-06-02T08:00:00Z')] },
        { post: post('p2'), status: 'failed', dueAt: '2026-06-01T09:00:00Z', jobs: [job('j3', 'p2', 'failed', '2026-06-01T09:00:00Z')] },
      ],
      nextCursor: 'c2',
      total: 1234,
    });
    const page = await res;
    expect([page.nextCursor, page.total]).toEqual(['c2', 1234]);
    expect(page.items.map((p) => [p.id, p.dueAt, p.status, p.targets.map((t) => t.state)])).toEqual([
      ['p1', '2026-06-02T08:00:00Z', 'pending', ['pending']],
      ['p2', '2026-06-01T09:00:00Z', 'failed', ['failed']],
    ]);
    expect(page.items[1].targets[0]).toMatchObject({ jobId: 'j3', state: 'failed', reason: 'rejected: too long' });
  });

  it('edits content, accounts and time in one PATCH', async () => {
    const edit = { title: null, text: 'new', hashtags: ['#a'], mediaIds: [], overrides: { webhook: { text: 'hi', extra: 1 } }, targets: [{ accountId: 'acc', platform: 'webhook' }] };
    const res = api.edit('p1', { ...edit, at: '2026-06-02T07:30:00Z', zone: 'Europe/Berlin' });
    const req = http.expectOne('/api/scheduled-posts/p1');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ ...edit, at: '2026-06-02T07:30:00Z', zone: 'Europe/Berlin' });
    req.flush({ post: post('p1'), jobs: [] });
    await flush();
    http.expectOne('/api/schedule/post/p1').flush({ post: post('p1'), jobs: [job('j9', 'p1', 'pending', '2026-06-02T07:30:00Z')], history: [] });
    expect((await res).dueAt).toBe('2026-06-02T07:30:00Z');
  });

  it('schedules a one-off post at an instant in its zone', async () => {
    const res = api.create({
      text: 'hi', hashtags: [], mediaIds: [], targets: [{ accountId: 'acc', platform: 'webhook' }], dueAt: '2026-06-02T07:30:00Z', zone: 'Europe/Berlin',
    });
    const req = http.expectOne('/api/schedule');
    expect(req.request.body).toMatchObject({ when: { mode: 'at', at: '2026-06-02T07:30:00Z' }, zone: 'Europe/Berlin', post: { text: 'hi', targets: [{ accountId: 'acc', platform: 'webhook' }] } });
    req.flush({ postId: 'p9', scheduleId: 's9', jobs: [] });
    await flush();
    http.expectOne('/api/schedule/post/p9').flush({ post: post('p9'), jobs: [job('j9', 'p9', 'pending', '2026-06-02T07:30:00Z')], history: [] });
    expect((await res).dueAt).toBe('2026-06-02T07:30:00Z');
  });

  it('creates a recurring post as a post plus a publish_post schedule', async () => {
    const res = api.create({
      text: 'weekly', hashtags: [], mediaIds: [], targets: [{ accountId: 'acc', platform: 'webhook' }], dueAt: '2026-06-01T07:00:00Z',
      zone: 'Europe/Berlin', recurrence: { type: 'weekly', time: '09:00', weekdays: [1, 3] },
    });
    http.expectOne('/api/posts').flush(post('p5'));
    await flush();
    const task = http.expectOne('/api/schedule/tasks');
    expect(task.request.body).toMatchObject({
      recurrence: { kind: 'cron', expression: '0 9 * * 1,3', start: '2026-06-01T07:00:00Z' },
      zone: 'Europe/Berlin',
      action: { type: 'publish_post', postId: 'p5' },
    });
    task.flush({});
    await flush();
    http.expectOne('/api/schedule/post/p5').flush({ post: post('p5'), jobs: [], history: [] });
    expect((await res).id).toBe('p5');
  });

  it('retries only the failed jobs of a post', async () => {
    const p = { id: 'p1', text: '', hashtags: [], mediaIds: [], dueAt: '', zone: 'UTC', createdAt: '', targets: [
      { jobId: 'a', accountId: 'x', platform: 'webhook', state: 'failed' as const, dueAt: '', attempt: 1 },
      { jobId: 'b', accountId: 'y', platform: 'webhook', state: 'published' as const, dueAt: '', attempt: 1 },
    ] };
    const res = api.retry(p);
    http.expectOne('/api/schedule/jobs/a/retry').flush({});
    await flush();
    http.expectOne('/api/schedule/post/p1').flush({ post: post('p1'), jobs: [], history: [] });
    await res;
  });

  it('round-trips recurrences through the scheduler format', () => {
    expect(toWireRecurrence({ type: 'once' }, '2026-01-01T00:00:00Z')).toEqual({ kind: 'once', at: '2026-01-01T00:00:00Z' });
    expect(fromWireRecurrence({ kind: 'cron', expression: '30 8 * * *' })).toEqual({ type: 'daily', time: '08:30' });
    expect(fromWireRecurrence({ kind: 'cron', expression: '0 9 15 * *' })).toEqual({ type: 'monthly', time: '09:00', dayOfMonth: 15 });
    expect(fromWireRecurrence({ kind: 'cron', expression: '0 9 * * 1,5' })).toEqual({ type: 'weekly', time: '09:00', weekdays: [1, 5] });
    expect(fromWireRecurrence({ kind: 'cron', expression: '*/5 * * * *' })).toEqual({ type: 'custom', cron: '*/5 * * * *' });
  });
});
