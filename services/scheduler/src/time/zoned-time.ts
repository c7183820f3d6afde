import { DateTime, IANAZone } from 'luxon';
import { AppError } from '@sx/service-kit';
import { utcOffsetInRange } from '@sx/contracts';

/** A local wall-clock time in some zone, with no offset attached. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const LOCAL_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const OFFSET_SUFFIX = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Throws `invalid_zone` unless `zone` is an IANA zone name the runtime knows. */
export function assertZone(zone: string): IANAZone {
  if (typeof zone !== 'string' || zone.length === 0 || !IANAZone.isValidZone(zone)) {
    throw new AppError('invalid_zone', `"${String(zone).slice(0, 64)}" is not a known IANA time zone`, 422);
  }
  return IANAZone.create(zone);
}

/**
 * The UTC instant of a wall time in `zone`, with the product's DST rules:
 * - a nonexistent time (spring-forward gap) moves forward by the gap (02:30 -> 03:30);
 * - an ambiguous time (fall-back overlap) takes the first occurrence (the earlier instant).
 * Offsets come from luxon's zone data; only the choice between candidates is ours.
 * (luxon alone picks the later instant for ambiguous times, hence this function.)
 */
export function wallTimeToInstant(wall: WallTime, zone: string): Date {
  const z = assertZone(zone);
  const floating = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const offsets = new Set([z.offset(floating - DAY_MS), z.offset(floating), z.offset(floating + DAY_MS)]);
  const valid: number[] = [];
  for (const offset of offsets) {
    const instant = floating - offset * 60_000;
    if (z.offset(instant) === offset) valid.push(instant);
  }
  if (valid.length > 0) return new Date(Math.min(...valid));
  // In a gap: read the wall time with the offset in force before the transition, which lands just after it.
  const before = z.offset(floating - DAY_MS);
  return new Date(floating - before * 60_000);
}

/** Wall time of an instant in `zone`. */
export function instantToWallTime(instant: Date, zone: string): WallTime {
  assertZone(zone);
  const dt = DateTime.fromJSDate(instant, { zone });
  return { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute, second: dt.second };
}

/** A wall time as a "floating" Date whose UTC fields carry the wall fields (what rrule and croner iterate on). */
export function wallToFloating(wall: WallTime): Date {
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

export function floatingToWall(floating: Date): WallTime {
  return {
    year: floating.getUTCFullYear(),
    month: floating.getUTCMonth() + 1,
    day: floating.getUTCDate(),
    hour: floating.getUTCHours(),
    minute: floating.getUTCMinutes(),
    second: floating.getUTCSeconds(),
  };
}

/**
 * Reads a user-supplied time. With an offset (`...Z`, `...+02:00`) it is an instant; without one it is
 * a wall time in `zone` (`2026-03-08T02:30`). Anything else is `invalid_time`.
 */
export function parseUserTime(value: string, zone: string): Date {
  assertZone(zone);
  if (typeof value !== 'string') throw invalidTime(String(value));
  if (OFFSET_SUFFIX.test(value)) {
    if (!utcOffsetInRange(value)) throw invalidTime(value);
    const dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw invalidTime(value);
    return dt.toJSDate();
  }
  if (!LOCAL_PATTERN.test(value)) throw invalidTime(value);
  const dt = DateTime.fromISO(value, { zone: 'UTC' });
  if (!dt.isValid) throw invalidTime(value);
  return wallTimeToInstant(floatingToWall(dt.toJSDate()), zone);
}

/** ISO string of the instant as seen in `zone` (for responses: `2026-03-08T03:30:00.000-04:00`). */
export function formatInZone(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISO() ?? instant.toISOString();
}

function invalidTime(value: string): AppError {
  return new AppError('invalid_time', `"${value.slice(0, 40)}" is not an ISO date-time`, 422);
}
