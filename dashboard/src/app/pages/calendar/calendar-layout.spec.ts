import { DateTime } from 'luxon';
import { ScheduledPost } from '../../core/api/posts.api';
import { CELL_CAP, bucketByDay, dayCells, moveToDay, rangeFor } from './calendar-layout';

function posts(n: number, startIso: string, spreadDays: number): ScheduledPost[] {
  const start = Date.parse(startIso);
  return Array.from({ length: n }, (_, i) => {
    const dueAt = new Date(start + ((i * 7919) % (spreadDays * 86_400)) * 1000).toISOString();
    return { id: `p${i}`, text: `post ${i}`, hashtags: [], mediaIds: [], dueAt, zone: 'UTC', createdAt: dueAt, targets: [] };
  });
}

describe('calendar layout', () => {
  it('lays out a month grid of 42 days starting on Monday', () => {
    const r = rangeFor('month', DateTime.fromISO('2026-06-15', { zone: 'UTC' }));
    expect(r.start.toISODate()).toBe('2026-06-01');
    expect(r.end.toISODate()).toBe('2026-07-12');
  });

  it('handles 5,000 posts in one pass and caps the chips drawn per cell', () => {
    const many = posts(5000, '2026-06-01T00:00:00Z', 30);
    const t0 = performance.now();
    const cells = dayCells('month', DateTime.fromISO('2026-06-15', { zone: 'UTC' }), bucketByDay(many, 'UTC'), '2026-06-15');
    const ms = performance.now() - t0;
    const drawn = cells.reduce((n, c) => n + c.shown.length, 0);
    const total = cells.reduce((n, c) => n + c.total, 0);
    expect(total).toBe(5000);
    expect(drawn).toBeLessThanOrEqual(42 * CELL_CAP);
    expect(cells.every((c) => c.shown.length + c.more === c.total)).toBe(true);
    // Generous bound for a loaded 2-core CI box; typical is a few tens of ms.
    expect(ms).toBeLessThan(2000);
  });

  it('buckets by the local day in the chosen zone', () => {
    const p = posts(1, '2026-06-01T23:30:00Z', 1);
    expect([...bucketByDay(p, 'UTC').keys()]).toEqual(['2026-06-01']);
    expect([...bucketByDay(p, 'Asia/Kolkata').keys()]).toEqual(['2026-06-02']);
  });

  it('keeps the local time when moving a post to another day across DST', () => {
    const p = { ...posts(1, '2026-03-27T08:00:00Z', 1)[0], dueAt: '2026-03-27T08:00:00Z', zone: 'Europe/Berlin' };
    // 09:00 CET on Friday → 09:00 CEST on Monday 30 March = 07:00Z.
    expect(moveToDay(p, '2026-03-30')).toBe('2026-03-30T07:00:00Z');
  });
});
