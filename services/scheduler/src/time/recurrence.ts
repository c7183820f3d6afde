import { RRule } from 'rrule';
import { Cron } from 'croner';
import { AppError } from '@sx/service-kit';
import { validateRruleText } from './rrule-validation';
import { assertZone, floatingToWall, instantToWallTime, parseUserTime, wallTimeToInstant, wallToFloating } from './zoned-time';

/** How a schedule repeats, as the user wrote it (times are ISO: with an offset = instant, without = wall time in `zone`). */
export type RecurrenceInput =
  | { kind: 'once'; at: string }
  | { kind: 'rrule'; rule: string; start: string; until?: string; count?: number }
  | { kind: 'cron'; expression: string; start?: string; until?: string; count?: number };

export const MAX_COUNT = 10_000;
const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 3_650 * DAY_MS;

/** A validated recurrence: yields UTC instants, expanded on the zone's wall clock. */
export interface Recurrence {
  readonly zone: string;
  readonly startAt: Date;
  readonly untilAt?: Date;
  /** Up to `limit` occurrences strictly after `after` (and not after `upTo`), ascending. */
  occurrencesAfter(after: Date, limit: number, upTo?: Date): Date[];
}

/**
 * Validates and compiles a recurrence. Rules are iterated by rrule/croner over "floating" dates (wall
 * fields stored in UTC fields) so the process TZ never matters, then each wall time is mapped to its
 * instant with the product's DST rules (see wallTimeToInstant).
 */
export function compileRecurrence(input: RecurrenceInput, zone: string, now: Date): Recurrence {
  assertZone(zone);
  if (input.kind === 'once') {
    const at = parseUserTime(input.at, zone);
    return { zone, startAt: at, untilAt: at, occurrencesAfter: (after, limit) => (at > after && limit > 0 ? [at] : []) };
  }
  const startAt = input.start ? parseUserTime(input.start, zone) : now;
  const untilAt = input.until ? parseUserTime(input.until, zone) : undefined;
  if (untilAt && untilAt <= startAt) {
    throw new AppError('until_before_start', 'The schedule ends ("until") before it starts', 422);
  }
  if (input.count !== undefined && (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_COUNT)) {
    throw AppError.validation(`count must be an integer from 1 to ${MAX_COUNT}`);
  }
  const recurrence =
    input.kind === 'rrule'
      ? rruleRecurrence(input.rule, zone, startAt, untilAt, input.count)
      : cronRecurrence(input.expression, zone, startAt, untilAt, input.count);
  if (recurrence.occurrencesAfter(new Date(startAt.getTime() - 1), 1).length === 0) {
    throw new AppError('recurrence_never_fires', 'The recurrence has no occurrence at or after its start', 422);
  }
  return recurrence;
}

function floatingOf(instant: Date, zone: string): number {
  return wallToFloating(instantToWallTime(instant, zone)).getTime();
}

/** Maps floating dates to instants, keeps those in (after, upTo] and >= start, ascending, unique. */
function collect(floatings: Date[], zone: string, startAt: Date, after: Date, upTo: Date | undefined, out: Map<number, Date>): void {
  for (const f of floatings) {
    const instant = wallTimeToInstant(floatingToWall(f), zone);
    if (instant <= after || instant < startAt) continue;
    if (upTo && instant > upTo) continue;
    out.set(instant.getTime(), instant);
  }
}

function sortedFirst(out: Map<number, Date>, limit: number): Date[] {
  return [...out.values()].sort((a, b) => a.getTime() - b.getTime()).slice(0, limit);
}

function rruleRecurrence(text: string, zone: string, startAt: Date, untilAt: Date | undefined, count?: number): Recurrence {
  const body = validateRruleText(text);
  let rule: RRule;
  try {
    rule = new RRule({
      ...RRule.parseString(body),
      dtstart: new Date(floatingOf(startAt, zone)),
      until: untilAt ? new Date(floatingOf(untilAt, zone)) : null,
      count: count ?? null,
    });
  } catch (e) {
    throw new AppError('invalid_rrule', `Invalid RRULE: ${e instanceof Error ? e.message : 'unreadable'}`, 422);
  }
  return {
    zone,
    startAt,
    untilAt,
    occurrencesAfter(after, limit, upTo) {
      const out = new Map<number, Date>();
      if (limit <= 0) return [];
      const bound = Math.min(upTo?.getTime() ?? Infinity, untilAt?.getTime() ?? Infinity);
      let lo = Math.max(floatingOf(after, zone), floatingOf(startAt, zone)) - DAY_MS;
      let span = 8 * DAY_MS;
      const end = lo + 400 * 365 * DAY_MS;
      while (out.size < limit && lo < end) {
        const hi = lo + span;
        collect(rule.between(new Date(lo), new Date(hi), true), zone, startAt, after, upTo, out);
        if (Number.isFinite(bound) && hi - DAY_MS > floatingOf(new Date(bound), zone)) break;
        if (rule.after(new Date(hi)) === null) break;
        lo = hi;
        span = Math.min(span * 2, MAX_SPAN_MS);
      }
      return sortedFirst(out, limit);
    },
  };
}

function cronRecurrence(expression: string, zone: string, startAt: Date, untilAt: Date | undefined, count?: number): Recurrence {
  if (typeof expression !== 'string' || expression.trim().split(/\s+/).length !== 5) {
    throw new AppError('invalid_cron', 'A cron expression has exactly five fields: minute hour day-of-month month day-of-week', 422);
  }
  let cron: Cron;
  try {
    cron = new Cron(expression.trim(), { timezone: 'Etc/UTC', paused: true });
  } catch (e) {
    throw new AppError('invalid_cron', `Invalid cron expression: ${e instanceof Error ? e.message : 'unreadable'}`, 422);
  }
  /** Occurrences from `fromFloating`, in wall-clock order, mapped to instants. */
  const walk = (after: Date, limit: number, upTo: Date | undefined, fromFloating: number, countLimit?: number): Date[] => {
    const out = new Map<number, Date>();
    let prev: Date | null = new Date(fromFloating - 1000);
    let seen = 0;
    const bound = Math.min(upTo?.getTime() ?? Infinity, untilAt?.getTime() ?? Infinity);
    const boundFloating = Number.isFinite(bound) ? floatingOf(new Date(bound), zone) + DAY_MS : Infinity;
    for (let i = 0; i < 1_000_000 && out.size < limit; i++) {
      prev = cron.nextRun(prev);
      if (!prev || prev.getTime() > boundFloating) break;
      const instant = wallTimeToInstant(floatingToWall(prev), zone);
      if (instant < startAt) continue;
      seen++;
      if (countLimit !== undefined && seen > countLimit) break;
      if (instant > after && instant.getTime() <= bound) out.set(instant.getTime(), instant);
    }
    return sortedFirst(out, limit);
  };
  return {
    zone,
    startAt,
    untilAt,
    occurrencesAfter(after, limit, upTo) {
      if (limit <= 0) return [];
      // With a count, occurrences are numbered from the start, so walk from there.
      const from = count !== undefined ? floatingOf(startAt, zone) : Math.max(floatingOf(after, zone) - DAY_MS, floatingOf(startAt, zone));
      return walk(after, limit, upTo, from, count);
    },
  };
}
