import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { Recurrence } from '../api/recurrence';

/** Translate a recurrence into a 5-field cron pattern (null for `once`). */
export function toCron(r: Recurrence): string | null {
  const hm = (time: string): [number, number] | null => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(time);
    if (!m) return null;
    const h = Number(m[1]);
    const mi = Number(m[2]);
    return h < 24 && mi < 60 ? [h, mi] : null;
  };
  switch (r.type) {
    case 'once':
      return null;
    case 'custom':
      return r.cron.trim();
    case 'daily': {
      const t = hm(r.time);
      return t ? `${t[1]} ${t[0]} * * *` : '';
    }
    case 'weekly': {
      const t = hm(r.time);
      if (!t || !r.weekdays.length) return '';
      return `${t[1]} ${t[0]} * * ${[...r.weekdays].sort((a, b) => a - b).join(',')}`;
    }
    case 'monthly': {
      const t = hm(r.time);
      if (!t || r.dayOfMonth < 1 || r.dayOfMonth > 31) return '';
      return `${t[1]} ${t[0]} ${r.dayOfMonth} * *`;
    }
  }
}

export type PreviewResult = { ok: true; runs: string[] } | { ok: false; error: string };

/**
 * The next `count` runs of a recurrence in `zone`, as UTC instants, computed in the
 * browser for instant feedback. The scheduler's own expansion stays authoritative.
 */
export function previewRuns(r: Recurrence, zone: string, fromMs: number, count = 5, onceAt?: string | null): PreviewResult {
  if (!DateTime.local().setZone(zone).isValid) return { ok: false, error: `Unknown time zone "${zone}"` };
  if (r.type === 'once') {
    return onceAt ? { ok: true, runs: [onceAt] } : { ok: false, error: 'Pick a date and time' };
  }
  const pattern = toCron(r);
  if (!pattern) return { ok: false, error: r.type === 'weekly' ? 'Pick at least one weekday and a time' : 'Enter a valid time' };
  try {
    const job = new Cron(pattern, { timezone: zone, paused: true });
    const runs = job.nextRuns(count, new Date(fromMs)).map((d) => d.toISOString().replace('.000Z', 'Z'));
    job.stop();
    return runs.length ? { ok: true, runs } : { ok: false, error: 'This pattern never runs' };
  } catch (err) {
    return { ok: false, error: `Invalid cron expression: ${err instanceof Error ? err.message : String(err)}` };
  }
}
