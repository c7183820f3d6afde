import { DateTime } from 'luxon';
import { CalendarChip } from '../../core/api/posts.api';

export type CalendarView = 'month' | 'week' | 'day';

/** Chips drawn per month cell / per hour cell; the rest collapse into "+N more" so DOM size stays bounded. */
export const CELL_CAP = 3;
export const WEEK_HOUR_CAP = 2;
export const DAY_HOUR_CAP = 8;

/** A chip placed in the user's zone: its local day and hour, and the time it shows. */
export interface PlacedChip extends CalendarChip {
  dayKey: string;
  hour: number;
  time: string;
}

export interface HourSlot {
  hour: number;
  all: PlacedChip[];
  shown: PlacedChip[];
  more: number;
  total: number;
}

export interface DayCell {
  key: string;
  date: DateTime;
  inMonth: boolean;
  isToday: boolean;
  shown: PlacedChip[];
  more: number;
  total: number;
  /** Week and day views: the 24 hours of the day. */
  hours: HourSlot[];
}

export interface CalendarRange {
  start: DateTime;
  end: DateTime;
}

/** The visible range for a view around `anchor`, in its zone (weeks start on Monday). */
export function rangeFor(view: CalendarView, anchor: DateTime): CalendarRange {
  if (view === 'day') return { start: anchor.startOf('day'), end: anchor.endOf('day') };
  if (view === 'week') return { start: anchor.startOf('week'), end: anchor.endOf('week') };
  const first = anchor.startOf('month').startOf('week');
  return { start: first, end: first.plus({ days: 41 }).endOf('day') };
}

interface DaySpan {
  key: string;
  startMs: number;
  endMs: number;
  /** No offset change inside the day: local time is plain arithmetic from its start. */
  uniform: boolean;
}

function daySpans(range: CalendarRange): DaySpan[] {
  const out: DaySpan[] = [];
  for (let d = range.start.startOf('day'); d <= range.end; d = d.plus({ days: 1 })) {
    const next = d.plus({ days: 1 });
    out.push({ key: d.toISODate() ?? '', startMs: d.toMillis(), endMs: next.toMillis(), uniform: d.offset === next.offset && next.toMillis() - d.toMillis() === 86_400_000 });
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Buckets chips by local day in one pass. Luxon is used once per visible day, not once per chip:
 * a month of 5,000 chips is placed with Date.parse and a binary search.
 */
export function placeChips(chips: readonly CalendarChip[], range: CalendarRange): Map<string, PlacedChip[]> {
  const spans = daySpans(range);
  const out = new Map<string, PlacedChip[]>();
  for (const c of chips) {
    const ms = Date.parse(c.dueAt);
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid].startMs <= ms) lo = mid;
      else hi = mid - 1;
    }
    const span = spans[lo];
    if (!span || ms < span.startMs || ms >= span.endMs) continue;
    let hour: number;
    let minute: number;
    if (span.uniform) {
      const minutes = Math.floor((ms - span.startMs) / 60_000);
      hour = Math.floor(minutes / 60);
      minute = minutes % 60;
    } else {
      const local = DateTime.fromMillis(ms, { zone: range.start.zone });
      hour = local.hour;
      minute = local.minute;
    }
    const placed: PlacedChip = { ...c, dayKey: span.key, hour, time: `${pad(hour)}:${pad(minute)}` };
    const list = out.get(span.key);
    if (list) list.push(placed);
    else out.set(span.key, [placed]);
  }
  for (const list of out.values()) list.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return out;
}

function hourSlots(chips: PlacedChip[], cap: number): HourSlot[] {
  const byHour: PlacedChip[][] = Array.from({ length: 24 }, () => []);
  for (const c of chips) byHour[c.hour]?.push(c);
  return byHour.map((list, hour) => ({ hour, all: list, shown: list.slice(0, cap), more: Math.max(0, list.length - cap), total: list.length }));
}

export function dayCells(view: CalendarView, anchor: DateTime, buckets: Map<string, PlacedChip[]>, todayKey: string): DayCell[] {
  const { start, end } = rangeFor(view, anchor);
  const cells: DayCell[] = [];
  const hourCap = view === 'day' ? DAY_HOUR_CAP : WEEK_HOUR_CAP;
  for (let d = start; d <= end; d = d.plus({ days: 1 })) {
    const key = d.toISODate() ?? '';
    const all = buckets.get(key) ?? [];
    cells.push({
      key,
      date: d,
      inMonth: view !== 'month' || d.month === anchor.month,
      isToday: key === todayKey,
      shown: all.slice(0, CELL_CAP),
      more: Math.max(0, all.length - CELL_CAP),
      total: all.length,
      hours: view === 'month' ? [] : hourSlots(all, hourCap),
    });
  }
  return cells;
}

/** Same local time of day on another date (and, given, another hour), in the post's own zone (DST-safe via luxon). */
export function moveTo(chip: Pick<CalendarChip, 'dueAt' | 'zone'>, dayKey: string, hour?: number): string | null {
  const cur = DateTime.fromISO(chip.dueAt, { zone: chip.zone });
  const day = DateTime.fromISO(dayKey, { zone: chip.zone });
  if (!cur.isValid || !day.isValid) return null;
  const moved = day.set({ hour: hour ?? cur.hour, minute: cur.minute, second: cur.second });
  return moved.toUTC().toISO({ suppressMilliseconds: true });
}

/** Where "compose here" starts: the clicked hour, or for a whole day 09:00 (or the next full hour, today). */
export function composeAt(dayKey: string, zone: string, nowMs: number, hour?: number): string | null {
  const day = DateTime.fromISO(dayKey, { zone });
  if (!day.isValid) return null;
  const at = day.set({ hour: hour ?? 9, minute: 0, second: 0, millisecond: 0 });
  const nextHour = DateTime.fromMillis(nowMs, { zone }).plus({ hours: 1 }).startOf('hour');
  const start = at.toMillis() <= nowMs && hour === undefined && nextHour.toISODate() === dayKey ? nextHour : at;
  return start.toUTC().toISO({ suppressMilliseconds: true });
}
