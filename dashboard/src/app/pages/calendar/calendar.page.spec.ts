import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonToggleHarness } from '@angular/material/button-toggle/testing';
import { CalendarChip, PostsApi } from '../../core/api/posts.api';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { CalendarPage } from './calendar.page';

const NOW = Date.parse('2026-06-15T12:00:00Z');

function many(n: number): CalendarChip[] {
  return Array.from({ length: n }, (_, i) => ({
    postId: `p${i}`,
    dueAt: new Date(Date.parse('2026-06-01T00:00:00Z') + (i % 30) * 86_400_000 + (i % 24) * 3_600_000).toISOString(),
    zone: 'UTC',
    status: i % 7 === 0 ? ('cancelled' as const) : ('pending' as const),
    label: `Post ${i}`,
    platforms: ['webhook'],
  })).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

describe('CalendarPage', () => {
  it('asks for the visible range in one request and draws a bounded number of chips', async () => {
    localStorage.setItem('sx.prefs', JSON.stringify({ zone: 'UTC' }));
    const all = many(5000);
    const calendar = jest.fn(async (from: string, to: string) => ({ items: all.filter((c) => c.dueAt >= from && c.dueAt <= to), truncated: false }));
    TestBed.configureTestingModule({
      imports: [CalendarPage],
      providers: [...pageTestProviders(new FakeTime(NOW)), { provide: PostsApi, useValue: { calendar } }],
    });
    const fixture = TestBed.createComponent(CalendarPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(calendar).toHaveBeenCalledTimes(1);
    // Month grid of June 2026: Monday 1 June to Sunday 12 July, as UTC instants.
    expect(calendar).toHaveBeenCalledWith('2026-06-01T00:00:00.000Z', '2026-07-12T23:59:59.999Z');
    expect(el.querySelector('[data-testid="calendar-metrics"]')?.textContent).toContain('5000 post(s) in range');
    expect(el.querySelectorAll('.sx-cal-cell').length).toBe(42);
    expect(el.querySelectorAll('.sx-cal-chip').length).toBeLessThanOrEqual(42 * 3);
    expect(el.querySelector('[data-testid="day-2026-06-15"]')?.textContent).toMatch(/\+\d+ more/);
    expect(el.querySelector('.sx-cal-chip.sx-st-cancelled')).not.toBeNull();

    const loader = TestbedHarnessEnvironment.loader(fixture);
    await (await loader.getHarness(MatButtonToggleHarness.with({ text: 'Week' }))).check();
    await fixture.whenStable();
    expect(calendar).toHaveBeenCalledTimes(2);
    expect(calendar).toHaveBeenLastCalledWith('2026-06-15T00:00:00.000Z', '2026-06-21T23:59:59.999Z');
    expect(el.querySelector('[data-testid="calendar-metrics"]')?.textContent).toContain('1168 post(s) in range');
    // An hour grid: 7 days × 24 hours.
    expect(el.querySelectorAll('.sx-hour-cell').length).toBe(7 * 24);
    expect(el.querySelector('[data-testid="hour-2026-06-16-15"] .sx-cal-chip')).not.toBeNull();
  }, 30_000);
});
