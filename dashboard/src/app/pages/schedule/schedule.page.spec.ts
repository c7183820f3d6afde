import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatButtonToggleHarness } from '@angular/material/button-toggle/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatTableHarness } from '@angular/material/table/testing';
import { ApiError } from '../../core/api/api-error';
import { PostsApi, ScheduledPost } from '../../core/api/posts.api';
import { EventStream } from '../../core/events/event-stream.service';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { SchedulePage } from './schedule.page';

const NOW = Date.parse('2026-06-01T12:00:00Z');

function post(id: string, dueInS: number, state: ScheduledPost['targets'][number]['state'] = 'pending'): ScheduledPost {
  return {
    id,
    title: `Post ${id}`,
    text: 'caption',
    hashtags: [],
    mediaIds: [],
    dueAt: new Date(NOW + dueInS * 1000).toISOString(),
    zone: 'UTC',
    targets: [{ jobId: `job-${id}`, accountId: 'acc', platform: 'webhook', state, dueAt: new Date(NOW + dueInS * 1000).toISOString(), attempt: 0 }],
    createdAt: new Date(NOW).toISOString(),
  };
}

describe('SchedulePage', () => {
  let time: FakeTime;
  let api: { list: jest.Mock; postNow: jest.Mock; stats: jest.Mock };
  const STATS = { total: 2006, pending: 2003, running: 0, published: 3, failed: 0, unknown: 0, postingToday: 5, publishedToday: 3 };

  async function setup(list: jest.Mock) {
    localStorage.clear();
    time = new FakeTime(NOW);
    api = { list, postNow: jest.fn(async (id: string) => ({ ...post(id, 0, 'publishing') })), stats: jest.fn(async () => STATS) };
    TestBed.configureTestingModule({
      imports: [SchedulePage],
      providers: [...pageTestProviders(time), { provide: PostsApi, useValue: api }],
    });
    const fixture = TestBed.createComponent(SchedulePage);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
    return { fixture, loader, el: fixture.nativeElement as HTMLElement };
  }

  it('shows a card per post with a countdown that follows the clock', async () => {
    const { fixture, el } = await setup(jest.fn(async () => ({ items: [post('a', 10), post('b', 3600)], nextCursor: null })));
    const cards = el.querySelectorAll('sx-post-card');
    expect(cards.length).toBe(2);
    expect(el.querySelector('[data-testid="post-a"] [data-testid="countdown"]')?.textContent?.trim()).toBe('in 10s');
    time.advance(3000);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="post-a"] [data-testid="countdown"]')?.textContent?.trim()).toBe('in 7s');
    expect(el.querySelector('[data-testid="post-a"] [data-testid="badge"]')?.getAttribute('data-state')).toBe('pending');
  });

  it('turns the badge published with a View link when the SSE event arrives, without reloading', async () => {
    const list = jest.fn(async () => ({ items: [post('a', 10)], nextCursor: null }));
    const { fixture, el } = await setup(list);
    TestBed.inject(EventStream).emit({
      id: 'e1', subject: 'post.published', version: 1, occurredAt: new Date(NOW).toISOString(), workspaceId: 'w', correlationId: 'c',
      data: { jobId: 'job-a', postId: 'a', platform: 'webhook', url: 'https://hooks.example/p/1', platformPostId: 'p1', attempt: 1 },
    });
    await fixture.whenStable();
    const card = el.querySelector('[data-testid="post-a"]');
    expect(card?.getAttribute('data-status')).toBe('published');
    expect(card?.querySelector('[data-testid="view-link"]')?.getAttribute('href')).toBe('https://hooks.example/p/1');
    expect(card?.querySelector('[data-testid="countdown"]')).toBeNull();
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('switches to the table view and lists one row per post', async () => {
    const { loader } = await setup(jest.fn(async () => ({ items: [post('a', 10), post('b', 20), post('c', 30)], nextCursor: null })));
    const toggle = await loader.getHarness(MatButtonToggleHarness.with({ selector: '[value="table"]' }));
    await toggle.check();
    const table = await loader.getHarness(MatTableHarness);
    expect((await table.getRows()).length).toBe(3);
  });

  it('sends Post now for a pending post', async () => {
    const { loader } = await setup(jest.fn(async () => ({ items: [post('a', 10)], nextCursor: null })));
    const button = await loader.getHarness(MatButtonHarness.with({ text: /Post now/ }));
    await button.click();
    expect(api.postNow).toHaveBeenCalledWith('a');
  });

  it('shows a clear error state when the scheduler is unavailable, and retries', async () => {
    const list = jest
      .fn()
      .mockRejectedValueOnce(new ApiError(503, 'service_unavailable', 'scheduler is not available'))
      .mockResolvedValue({ items: [], nextCursor: null });
    const { fixture, loader, el } = await setup(list);
    expect(el.querySelector('[data-testid="error-state"]')?.textContent).toContain('Service not available');
    expect(el.textContent).toContain('scheduler is not available');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Retry' }))).click();
    await fixture.whenStable();
    expect(list).toHaveBeenCalledTimes(2);
    expect(el.querySelector('[data-testid="empty-state"]')).not.toBeNull();
  });

  it("shows the scheduler's counts, not a count of the loaded page", async () => {
    const { el } = await setup(jest.fn(async () => ({ items: [post('a', 10)], nextCursor: 'c2', total: 2006 })));
    const value = (id: string) => el.querySelector(`[data-testid="${id}"] [data-testid="stat-value"]`)?.textContent?.trim();
    expect([value('stat-scheduled'), value('stat-today'), value('stat-published')]).toEqual(['2003', '5', '3']);
    expect(el.querySelector('[data-testid="schedule-count"]')?.textContent).toContain('Showing 1 of 2006 post(s)');
  });

  it('pages with Load more until the last post, and sends filters to the server', async () => {
    const list = jest.fn(async (f: { cursor?: string; status?: string }) => {
      if (f.status === 'published') return { items: [post('pub', -60, 'published')], nextCursor: null, total: 1 };
      return f.cursor === 'c2' ? { items: [post('b', 20)], nextCursor: null, total: 2 } : { items: [post('a', 10)], nextCursor: 'c2', total: 2 };
    });
    const { fixture, loader, el } = await setup(list);
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Load more' }))).click();
    await fixture.whenStable();
    expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'c2' }));
    expect(el.querySelectorAll('sx-post-card').length).toBe(2);
    expect(el.querySelector('[data-testid="schedule-more"]')).toBeNull();
    expect(el.querySelector('[data-testid="schedule-count"]')?.textContent).toContain('Showing 2 of 2 post(s)');

    const select = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="schedule-status"]' }));
    await select.open();
    await select.clickOptions({ text: 'Published' });
    await fixture.whenStable();
    expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'published' }));
    expect(el.querySelector('[data-testid="post-pub"]')).not.toBeNull();
    expect(el.querySelectorAll('sx-post-card').length).toBe(1);
  });

  it('a burst of live events for unknown posts costs one refetch now, not one per event', async () => {
    const list = jest.fn(async () => ({ items: [post('a', 10)], nextCursor: null, total: 1 }));
    const { fixture } = await setup(list);
    const stream = TestBed.inject(EventStream);
    for (let i = 0; i < 500; i++) {
      stream.emit({ id: `e${i}`, subject: 'post.scheduled', version: 1, occurredAt: new Date(NOW).toISOString(), workspaceId: 'w', correlationId: 'c', data: { postId: `new-${i}` } });
    }
    await fixture.whenStable();
    // The initial load, then the leading refetch; the other 499 wait for one trailing refetch (see coalesce.spec).
    expect(list).toHaveBeenCalledTimes(2);
    expect(api.stats.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
