import { DateTime } from 'luxon';
import { ScheduledPost } from '../../core/api/posts.api';

export type CalendarView = 'month' | 'week' | 'day';

/** Chips drawn per month/week cell; the rest collapse into "+N more" so DOM size stays bounded. */
export const CELL_CAP = 3;
export const WEEK_CELL_CAP = 12;

export interface DayCell {
  key: string;
  date: DateTime;
  inMonth: boolean;
  isToday: boolean;
  shown: ScheduledPost[];
  more: number;
  total: number;
}

export interface CalendarRange {
  start: DateTime;
  end: DateTime;
}

/** The visible range for a view around `anchor`, in `zone` (weeks start on Monday). */
export function rangeFor(view: CalendarView, anchor: DateTime): CalendarRange {
  if (view === 'day') return { start: anchor.startOf('day'), end: anchor.endOf('day') };
  if (view === 'week') return { start: anchor.startOf('week'), end: anchor.endOf('week') };
  const first = anchor.startOf('month').startOf('week');
  return { start: first, end: first.plus({ days: 41 }).endOf('day') };
}

/** Group posts by local day in one pass: O(n) for any number of posts. */
export function bucketByDay(posts: readonly ScheduledPost[], zone: string): Map<string, ScheduledPost[]> {
  const out = new Map<string, ScheduledPost[]>();
  for (const p of posts) {
    const key = DateTime.fromISO(p.dueAt, { zone }).toISODate();
    if (!key) continue;
    const list = out.get(key);
    if (list) list.push(p);
    else out.set(key, [p]);
  }
  for (const list of out.values()) list.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return out;
}

export function dayCells(view: CalendarView, anchor: DateTime, buckets: Map<string, ScheduledPost[]>, todayKey: string): DayCell[] {
  const { start, end } = rangeFor(view, anchor);
  const cells: DayCell[] = [];
  const cap = view === 'week' ? WEEK_CELL_CAP : CELL_CAP;
  for (let d = start; d <= end; d = d.plus({ days: 1 })) {
    const key = d.toISODate() ?? '';
    const all = buckets.get(key) ?? [];
    cells.push({
      key,
      date: d,
      inMonth: view !== 'month' || d.month === anchor.month,
      isToday: key === todayKey,
      shown: all.slice(0, cap),
      more: Math.max(0, all.length - cap),
      total: all.length,
    });
  }
  return cells;
}

/** Same local time of day on another date, in the post's own zone (DST-safe via luxon). */
export function moveToDay(post: ScheduledPost, dayKey: string): string | null {
  const cur = DateTime.fromISO(post.dueAt, { zone: post.zone });
  const day = DateTime.fromISO(dayKey, { zone: post.zone });
  if (!cur.isValid || !day.isValid) return null;
  const moved = day.set({ hour: cur.hour, minute: cur.minute, second: cur.second });
  return moved.toUTC().toISO({ suppressMilliseconds: true });
}
