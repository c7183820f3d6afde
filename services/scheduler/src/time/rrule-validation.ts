import { AppError } from '@sx/service-kit';

const DAY = '(MO|TU|WE|TH|FR|SA|SU)';
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const intIn = (min: number, max: number, signed = false) => (v: string) =>
  v.split(',').every((p) => {
    if (!/^[+-]?\d{1,4}$/.test(p)) return false;
    const n = Number(p);
    if (!signed && p.startsWith('-')) return false;
    return Math.abs(n) >= (signed ? 1 : min) && Math.abs(n) <= max;
  });

/** What each RRULE part may hold. rrule.js loops forever on some bad values (INTERVAL=abc), so we check first. */
const PARTS: Record<string, (v: string) => boolean> = {
  FREQ: (v) => /^(YEARLY|MONTHLY|WEEKLY|DAILY|HOURLY|MINUTELY)$/.test(v),
  INTERVAL: (v) => /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 1000,
  BYDAY: (v) => list(`([+-]?\\d{1,2})?${DAY}`).test(v),
  WKST: (v) => new RegExp(`^${DAY}$`).test(v),
  BYMONTH: intIn(1, 12),
  BYMONTHDAY: intIn(1, 31, true),
  BYYEARDAY: intIn(1, 366, true),
  BYWEEKNO: intIn(1, 53, true),
  BYSETPOS: intIn(1, 366, true),
  BYHOUR: intIn(0, 23),
  BYMINUTE: intIn(0, 59),
  BYSECOND: intIn(0, 59),
};

/** Parts the schedule carries as fields of its own, so they may not hide inside the rule. */
const FIELD_PARTS: Record<string, string> = {
  DTSTART: 'start',
  TZID: 'zone',
  UNTIL: 'until',
  COUNT: 'count',
};

/**
 * Normalises and checks an RRULE body (`FREQ=WEEKLY;BYDAY=MO`, optional `RRULE:` prefix).
 * Throws `invalid_rrule` naming the bad part; returns the upper-cased rule.
 */
export function validateRruleText(text: string): string {
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > 500) {
    throw invalidRrule('the rule is empty or longer than 500 characters');
  }
  const body = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined || value === '') {
      throw invalidRrule(`"${part.slice(0, 40)}" is not KEY=VALUE`);
    }
    if (FIELD_PARTS[key]) throw invalidRrule(`${key} is not allowed in the rule; use the schedule's "${FIELD_PARTS[key]}" field`);
    const check = PARTS[key];
    if (!check) throw invalidRrule(`${key.slice(0, 20)} is not a supported RRULE part`);
    if (!check(value)) throw invalidRrule(`${key}=${value.slice(0, 40)} is not valid`);
    if (seen.has(key)) throw invalidRrule(`${key} appears twice`);
    seen.add(key);
  }
  if (!seen.has('FREQ')) throw invalidRrule('FREQ is required');
  return body;
}

function invalidRrule(reason: string): AppError {
  return new AppError('invalid_rrule', `Invalid RRULE: ${reason}`, 422);
}
