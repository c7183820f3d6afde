import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonToggleHarness } from '@angular/material/button-toggle/testing';
import { PostsApi, ScheduledPost } from '../../core/api/posts.api';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { CalendarPage } from './calendar.page';

const NOW = Date.parse('2026-06-15T12:00:00Z');

function many(n: number): ScheduledPost[] {
  return Array.from({ length: n }, (_, i) => {
    const dueAt = new Date(Date.parse('2026-06-01T00:00:00Z') + (i % 30) * 86_400_000 + (i % 24) * 3_600_000).toISOString();
    return {
      id: `p${i}`, title: `Post ${i}`, text: 't', hashtags: [], mediaIds: [], dueAt, zone: 'UTC', createdAt: dueAt,
      targets: [{ jobId: `j${i}`, accountId: 'a', platform: 'webhook', state: 'pending', dueAt, attempt: 0 }],
    };
  });
}

describe('CalendarPage', () => {
  it('requests only the visible range, paging through it, while drawing a bounded number of chips', async () => {
    localStorage.setItem('sx.prefs', JSON.stringify({ zone: 'UTC' }));
    const all = many(5000);
    // The fake API filters on due time like the scheduler does (inclusive bounds), then pages by 200.
    const list = jest.fn(async ({ cursor, from, to }: { cursor?: string; from?: string; to?: string }) => {
      const inRange = all.filter((p) => (!from || p.dueAt >= from) && (!to || p.dueAt <= to));
      const start = cursor ? Number(cursor) : 0;
      const items = inRange.slice(start, start + 200);
      return { items, nextCursor: start + 200 < inRange.length ? String(start + 200) : null };
    });
    TestBed.configureTestingModule({
      imports: [CalendarPage],
      providers: [...pageTestProviders(new FakeTime(NOW)), { provide: PostsApi, useValue: { list } }],
    });
    const fixture = TestBed.createComponent(CalendarPage);
    const el = fixture.nativeElement as HTMLElement;
    const settle = async (calls: number) => {
      for (let i = 0; i < 40 && list.mock.calls.length < calls; i++) await fixture.whenStable();
      await new Promise((r) => setTimeout(r, 0));
      await fixture.whenStable();
    };
    await settle(25);
    expect(list).toHaveBeenCalledTimes(25);
    // Month grid of June 2026: Monday 1 June to Sunday 12 July, as UTC instants.
    expect(list.mock.calls[0][0]).toMatchObject({ from: '2026-06-01T00:00:00.000Z', to: '2026-07-12T23:59:59.999Z', limit: 200 });
    expect(el.querySelector('[data-testid="calendar-metrics"]')?.textContent).toContain('5000 post(s) in range');
    expect(el.querySelectorAll('.sx-cal-cell').length).toBe(42);
    expect(el.querySelectorAll('.sx-cal-chip').length).toBeLessThanOrEqual(42 * 3);
    expect(el.querySelector('[data-testid="day-2026-06-15"]')?.textContent).toMatch(/\+\d+ more/);

    const loader = TestbedHarnessEnvironment.loader(fixture);
    await (await loader.getHarness(MatButtonToggleHarness.with({ text: 'Week' }))).check();
    // Week of 15–21 June holds 1,168 of the posts: 6 pages instead of the whole list.
    await settle(31);
    expect(list).toHaveBeenCalledTimes(31);
    expect(list.mock.calls[25][0]).toMatchObject({ from: '2026-06-15T00:00:00.000Z', to: '2026-06-21T23:59:59.999Z' });
    expect(el.querySelector('[data-testid="calendar-metrics"]')?.textContent).toContain('1168 post(s) in range');
    expect(el.querySelectorAll('.sx-cal-cell').length).toBe(7);
  }, 30_000);
});
