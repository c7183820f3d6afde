import { DateTime } from 'luxon';

/** "1h 02m 03s" style countdown; negative durations read "overdue by …". */
export function formatCountdown(ms: number): string {
  const overdue = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  let text: string;
  if (d > 0) text = `${d}d ${pad(h)}h ${pad(m)}m`;
  else if (h > 0) text = `${h}h ${pad(m)}m ${pad(s)}s`;
  else if (m > 0) text = `${m}m ${pad(s)}s`;
  else text = `${s}s`;
  return overdue ? `overdue by ${text}` : text;
}

/** Show an instant in the zone it was scheduled in, with the zone's abbreviation. */
export function formatInZone(iso: string | null | undefined, zone: string, fmt = 'ccc d LLL yyyy, HH:mm'): string {
  if (!iso) return '—';
  const dt = DateTime.fromISO(iso, { zone });
  return dt.isValid ? `${dt.toFormat(fmt)} ${dt.toFormat('ZZZZ')}` : '—';
}

/**
 * A wall-clock date and time in an IANA zone → UTC instant. Nonexistent local times
 * (spring-forward gap) move forward, ambiguous ones take the first occurrence (DESIGN §4.6).
 */
export function zonedToUtc(date: string, time: string, zone: string): string | null {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, sec = 0] = time.split(':').map(Number);
  if ([y, mo, d, h, mi, sec].some((n) => n === undefined || Number.isNaN(n))) return null;
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: sec }, { zone });
  if (!dt.isValid) return null;
  // Ambiguous (fall-back) time: if the same wall clock also occurs up to an hour earlier, take that one.
  const same = (x: DateTime) => x.hour === h && x.minute === mi && x.second === sec && x.day === d;
  let first = dt;
  for (const back of [60, 30]) {
    const alt = dt.minus({ minutes: back });
    if (same(alt) && alt < first) first = alt;
  }
  return first.toUTC().toISO({ suppressMilliseconds: true });
}

/** UTC instant → the date and time fields of a form in `zone`. */
export function utcToZoned(iso: string, zone: string): { date: string; time: string } {
  const dt = DateTime.fromISO(iso, { zone });
  return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat(dt.second ? 'HH:mm:ss' : 'HH:mm') };
}

export function isValidZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** IANA zones the browser knows (falls back to a short list on older engines). */
export function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  return list.length ? list : ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
}
