import { AppError } from '@sx/service-kit';
import { compileRecurrence, type RecurrenceInput } from './recurrence';
import { parseUserTime, wallTimeToInstant } from './zoned-time';

const NOW = new Date('2026-06-01T12:00:00Z');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return `${e.code}:${e.status}`;
    throw e;
  }
  return 'no error';
}

describe('compileRecurrence', () => {
  it.each<[string, RecurrenceInput, string, string]>([
    ['an unknown zone', { kind: 'once', at: '2026-07-01T09:00' }, 'Mars/Olympus', 'invalid_zone:422'],
    ['a malformed time', { kind: 'once', at: 'tomorrow at nine' }, 'UTC', 'invalid_time:422'],
    ['an RRULE without FREQ', { kind: 'rrule', rule: 'BYHOUR=9', start: '2026-07-01T09:00' }, 'UTC', 'invalid_rrule:422'],
    ['an RRULE with a bad interval', { kind: 'rrule', rule: 'FREQ=DAILY;INTERVAL=abc', start: '2026-07-01T09:00' }, 'UTC', 'invalid_rrule:422'],
    ['an RRULE with a bad weekday', { kind: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=XX', start: '2026-07-01T09:00' }, 'UTC', 'invalid_rrule:422'],
    ['an RRULE hiding its own UNTIL', { kind: 'rrule', rule: 'FREQ=DAILY;UNTIL=20270101T000000Z', start: '2026-07-01T09:00' }, 'UTC', 'invalid_rrule:422'],
    ['a secondly RRULE', { kind: 'rrule', rule: 'FREQ=SECONDLY', start: '2026-07-01T09:00' }, 'UTC', 'invalid_rrule:422'],
    ['a cron with six fields', { kind: 'cron', expression: '0 0 9 * * *' }, 'UTC', 'invalid_cron:422'],
    ['a cron with minute 61', { kind: 'cron', expression: '61 * * * *' }, 'UTC', 'invalid_cron:422'],
    ['a cron that never fires', { kind: 'cron', expression: '0 9 31 2 *' }, 'UTC', 'recurrence_never_fires:422'],
    ['until before start', { kind: 'rrule', rule: 'FREQ=DAILY', start: '2026-07-02T09:00', until: '2026-07-01T09:00' }, 'UTC', 'until_before_start:422'],
    ['a zero count', { kind: 'cron', expression: '0 9 * * *', count: 0 }, 'UTC', 'validation_failed:422'],
  ])('rejects %s with a coded error', (_name, input, zone, expected) => {
    expect(codeOf(() => compileRecurrence(input, zone, NOW))).toBe(expected);
  });

  it('honours count from the start, not from the query point', () => {
    const rec = compileRecurrence({ kind: 'cron', expression: '0 9 * * *', start: '2026-07-01T00:00', count: 3 }, 'Europe/Berlin', NOW);
    const all = rec.occurrencesAfter(new Date('2026-01-01T00:00:00Z'), 10).map((d) => d.toISOString());
    expect(all).toEqual(['2026-07-01T07:00:00.000Z', '2026-07-02T07:00:00.000Z', '2026-07-03T07:00:00.000Z']);
    expect(rec.occurrencesAfter(new Date('2026-07-02T08:00:00Z'), 10).map((d) => d.toISOString())).toEqual(['2026-07-03T07:00:00.000Z']);
  });

  it('stops at until and at the upper bound', () => {
    const rec = compileRecurrence(
      { kind: 'rrule', rule: 'FREQ=DAILY', start: '2026-07-01T09:00', until: '2026-07-03T09:00' },
      'Asia/Kolkata',
      NOW,
    );
    expect(rec.occurrencesAfter(new Date('2026-06-01T00:00:00Z'), 10)).toHaveLength(3);
    expect(rec.occurrencesAfter(new Date('2026-06-01T00:00:00Z'), 10, new Date('2026-07-02T03:30:00Z'))).toHaveLength(2);
  });

  it('finds the next occurrences of a long-running hourly rule quickly and in order', () => {
    const rec = compileRecurrence({ kind: 'rrule', rule: 'FREQ=HOURLY;INTERVAL=2', start: '2020-01-01T00:00' }, 'UTC', NOW);
    const next = rec.occurrencesAfter(new Date('2026-06-01T11:30:00Z'), 3).map((d) => d.toISOString());
    expect(next).toEqual(['2026-06-01T12:00:00.000Z', '2026-06-01T14:00:00.000Z', '2026-06-01T16:00:00.000Z']);
  });

  it('treats a one-off as a single occurrence', () => {
    const rec = compileRecurrence({ kind: 'once', at: '2026-07-01T09:00:00+02:00' }, 'America/New_York', NOW);
    expect(rec.occurrencesAfter(NOW, 5).map((d) => d.toISOString())).toEqual(['2026-07-01T07:00:00.000Z']);
    expect(rec.occurrencesAfter(new Date('2026-07-02T00:00:00Z'), 5)).toEqual([]);
  });
});

describe('zoned time', () => {
  it('maps an ambiguous wall time to its first instant and a gap forward', () => {
    expect(wallTimeToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 0, second: 0 }, 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:00:00.000Z',
    );
    expect(wallTimeToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 0, second: 0 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('reads offset times as instants and bare times in the zone', () => {
    expect(parseUserTime('2026-07-01T09:00:00Z', 'Asia/Kolkata').toISOString()).toBe('2026-07-01T09:00:00.000Z');
    expect(parseUserTime('2026-07-01T09:00', 'Asia/Kolkata').toISOString()).toBe('2026-07-01T03:30:00.000Z');
    expect(codeOf(() => parseUserTime('2026-13-01T09:00', 'UTC'))).toBe('invalid_time:422');
  });

  it('refuses UTC offsets beyond ±14:00 instead of shifting the instant by days', () => {
    for (const at of ['2031-01-01T00:00:00+99:99', '2031-01-01T00:00:00+25:00', '2031-01-01T00:00:00-24:00', '2031-01-01T00:00:00+14:01', '2031-01-01T00:00+05:60']) {
      expect(codeOf(() => parseUserTime(at, 'UTC'))).toBe('invalid_time:422');
    }
    expect(parseUserTime('2031-01-01T00:00:00+14:00', 'UTC').toISOString()).toBe('2030-12-31T10:00:00.000Z');
    expect(parseUserTime('2031-01-01T00:00:00-12:00', 'UTC').toISOString()).toBe('2031-01-01T12:00:00.000Z');
  });
});
