import { DateTime } from 'luxon';
import { CalendarChip } from '../../core/api/posts.api';
import { CELL_CAP, WEEK_HOUR_CAP, composeAt, dayCells, moveTo, placeChips, rangeFor } from './calendar-layout';

function chips(n: number, startIso: string, spreadDays: number): CalendarChip[] {
  const start = Date.parse(startIso);
  return Array.from({ length: n }, (_, i) => ({
    postId: `p${i}`,
    dueAt: new Date(start + ((i * 7919) % (spreadDays * 86_400)) * 1000).toISOString(),
    zone: 'UTC',
    status: 'pending' as const,
    label: `post ${i}`,
    platforms: ['webhook'],
  })).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

describe('calendar layout', () => {
  it('lays out a month grid of 42 days starting on Monday', () => {
    const r = rangeFor('month', DateTime.fromISO('2026-06-15', { zone: 'UTC' }));
    expect(r.start.toISODate()).toBe('2026-06-01');
    expect(r.end.toISODate()).toBe('2026-07-12');
  });

  it('places 5,000 chips in one pass and caps the chips drawn per cell', () => {
    const many = chips(5000, '2026-06-01T00:00:00Z', 30);
    const anchor = DateTime.fromISO('2026-06-15', { zone: 'UTC' });
    const t0 = performance.now();
    const cells = dayCells('month', anchor, placeChips(many, rangeFor('month', anchor)), '2026-06-15');
    const ms = performance.now() - t0;
    expect(cells.reduce((n, c) => n + c.total, 0)).toBe(5000);
    expect(cells.reduce((n, c) => n + c.shown.length, 0)).toBeLessThanOrEqual(42 * CELL_CAP);
    expect(cells.every((c) => c.shown.length + c.more === c.total)).toBe(true);
    // Very generous bound for a loaded 2-core CI box (typical is a few ms): it catches a quadratic layout only.
    expect(ms).toBeLessThan(5000);
  });

  it('buckets by the local day and hour in the chosen zone, also on a DST day', () => {
    const one = chips(1, '2026-06-01T23:30:00Z', 1);
    const utc = DateTime.fromISO('2026-06-01', { zone: 'UTC' });
    expect([...placeChips(one, rangeFor('month', utc)).keys()]).toEqual(['2026-06-01']);
    const kolkata = DateTime.fromISO('2026-06-02', { zone: 'Asia/Kolkata' });
    const placed = placeChips(one, rangeFor('week', kolkata)).get('2026-06-02')?.[0];
    expect([placed?.hour, placed?.time]).toEqual([5, '05:00']);
    // 29 March 2026, Berlin: 01:30Z is 03:30 CEST (the clocks jumped at 02:00).
    const dst = [{ ...one[0], dueAt: '2026-03-29T01:30:00Z' }];
    const berlin = DateTime.fromISO('2026-03-29', { zone: 'Europe/Berlin' });
    expect(placeChips(dst, rangeFor('day', berlin)).get('2026-03-29')?.[0].time).toBe('03:30');
  });

  it('gives week and day views 24 hour slots with their own caps', () => {
    const anchor = DateTime.fromISO('2026-06-15', { zone: 'UTC' });
    const same = Array.from({ length: 5 }, (_, i) => ({ ...chips(1, '2026-06-16T10:05:00Z', 1)[0], postId: `h${i}` }));
    const cells = dayCells('week', anchor, placeChips(same, rangeFor('week', anchor)), '2026-06-15');
    const tuesday = cells.find((c) => c.key === '2026-06-16');
    expect(tuesday?.hours).toHaveLength(24);
    expect([tuesday?.hours[10].total, tuesday?.hours[10].shown.length, tuesday?.hours[10].more]).toEqual([5, WEEK_HOUR_CAP, 5 - WEEK_HOUR_CAP]);
  });

  it('keeps the local time when moving a post to another day across DST, or moves it to a given hour', () => {
    // 09:00 CET on Friday → 09:00 CEST on Monday 30 March = 07:00Z.
    expect(moveTo({ dueAt: '2026-03-27T08:00:00Z', zone: 'Europe/Berlin' }, '2026-03-30')).toBe('2026-03-30T07:00:00Z');
    expect(moveTo({ dueAt: '2026-03-27T08:15:00Z', zone: 'Europe/Berlin' }, '2026-03-30', 14)).toBe('2026-03-30T12:15:00Z');
  });

  it('composes on a clicked hour, or on a day at 09:00 (the next full hour when that has passed today)', () => {
    const now = Date.parse('2026-06-15T12:20:00Z');
    expect(composeAt('2026-06-16', 'UTC', now)).toBe('2026-06-16T09:00:00Z');
    expect(composeAt('2026-06-16', 'UTC', now, 14)).toBe('2026-06-16T14:00:00Z');
    expect(composeAt('2026-06-15', 'UTC', now)).toBe('2026-06-15T13:00:00Z');
  });
});
