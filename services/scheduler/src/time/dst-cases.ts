import { compileRecurrence, type RecurrenceInput } from './recurrence';

/** One recurrence around a 2026 DST change, with instants checked by hand against the tz database. */
export interface DstCase {
  name: string;
  zone: string;
  input: RecurrenceInput;
  after: string;
  expected: string[];
}

const daily = (time: string, start: string): RecurrenceInput => ({ kind: 'rrule', rule: `FREQ=DAILY`, start: `${start}T${time}` });

export const DST_CASES: DstCase[] = [
  {
    name: 'New York spring forward: 02:30 does not exist on 8 March, moves to 03:30 EDT',
    zone: 'America/New_York',
    input: daily('02:30', '2026-03-06'),
    after: '2026-03-01T00:00:00Z',
    expected: ['2026-03-06T07:30:00.000Z', '2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'],
  },
  {
    name: 'New York fall back: 01:30 on 1 November happens twice, first (EDT) is taken',
    zone: 'America/New_York',
    input: daily('01:30', '2026-10-31'),
    after: '2026-10-01T00:00:00Z',
    expected: ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
  },
  {
    name: 'New York cron 09:00 on weekdays across the spring change',
    zone: 'America/New_York',
    input: { kind: 'cron', expression: '0 9 * * 1-5', start: '2026-03-05T00:00' },
    after: '2026-03-01T00:00:00Z',
    expected: ['2026-03-05T14:00:00.000Z', '2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z'],
  },
  {
    name: 'New York hourly on fall-back day: the repeated 01:00 hour fires once',
    zone: 'America/New_York',
    input: { kind: 'rrule', rule: 'FREQ=HOURLY', start: '2026-11-01T00:00' },
    after: '2026-10-31T00:00:00Z',
    expected: ['2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z'],
  },
  {
    name: 'Berlin spring forward: 02:30 on 29 March moves to 03:30 CEST',
    zone: 'Europe/Berlin',
    input: daily('02:30', '2026-03-28'),
    after: '2026-03-01T00:00:00Z',
    expected: ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
  },
  {
    name: 'Berlin fall back: 02:30 on 25 October takes the first (CEST) occurrence',
    zone: 'Europe/Berlin',
    input: { kind: 'cron', expression: '30 2 * * *', start: '2026-10-24T00:00' },
    after: '2026-10-01T00:00:00Z',
    expected: ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
  },
  {
    name: 'Sydney fall back on 5 April: 02:30 happens twice, first (AEDT) is taken',
    zone: 'Australia/Sydney',
    input: daily('02:30', '2026-04-04'),
    after: '2026-04-01T00:00:00Z',
    expected: ['2026-04-03T15:30:00.000Z', '2026-04-04T15:30:00.000Z', '2026-04-05T16:30:00.000Z'],
  },
  {
    name: 'Sydney spring forward on 4 October: 02:30 moves to 03:30 AEDT',
    zone: 'Australia/Sydney',
    input: daily('02:30', '2026-10-03'),
    after: '2026-10-01T00:00:00Z',
    expected: ['2026-10-02T16:30:00.000Z', '2026-10-03T16:30:00.000Z', '2026-10-04T15:30:00.000Z'],
  },
  {
    name: 'Sao Paulo keeps -03:00 in November 2026 (no DST since 2019): midnight exists',
    zone: 'America/Sao_Paulo',
    input: daily('00:00', '2026-10-31'),
    after: '2026-10-01T00:00:00Z',
    expected: ['2026-10-31T03:00:00.000Z', '2026-11-01T03:00:00.000Z', '2026-11-02T03:00:00.000Z'],
  },
  {
    name: 'Kolkata is +05:30 all year: weekly Sunday 09:00 on the US and EU change days',
    zone: 'Asia/Kolkata',
    input: { kind: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=9;BYMINUTE=0;BYSECOND=0', start: '2026-03-01T00:00' },
    after: '2026-03-01T00:00:00Z',
    expected: ['2026-03-01T03:30:00.000Z', '2026-03-08T03:30:00.000Z', '2026-03-15T03:30:00.000Z', '2026-03-22T03:30:00.000Z', '2026-03-29T03:30:00.000Z'],
  },
  {
    name: 'a one-off wall time in the New York gap moves forward',
    zone: 'America/New_York',
    input: { kind: 'once', at: '2026-03-08T02:15' },
    after: '2026-01-01T00:00:00Z',
    expected: ['2026-03-08T07:15:00.000Z'],
  },
];

/** Runs every case; returns one line per mismatch (empty when all agree). Pure: no clock, no process TZ. */
export function runDstCases(): string[] {
  const problems: string[] = [];
  for (const c of DST_CASES) {
    const rec = compileRecurrence(c.input, c.zone, new Date('2026-01-01T00:00:00Z'));
    const got = rec.occurrencesAfter(new Date(c.after), c.expected.length).map((d) => d.toISOString());
    if (JSON.stringify(got) !== JSON.stringify(c.expected)) {
      problems.push(`${c.name}: expected ${c.expected.join(',')} got ${got.join(',')}`);
    }
  }
  return problems;
}
