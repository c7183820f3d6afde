import { previewRuns, toCron } from './recurrence-preview';

const FROM = Date.parse('2026-03-25T00:00:00Z');

describe('recurrence preview', () => {
  it('translates each recurrence type into a cron pattern', () => {
    expect(toCron({ type: 'once' })).toBeNull();
    expect(toCron({ type: 'daily', time: '09:05' })).toBe('5 9 * * *');
    expect(toCron({ type: 'weekly', time: '18:30', weekdays: [5, 1] })).toBe('30 18 * * 1,5');
    expect(toCron({ type: 'monthly', time: '07:00', dayOfMonth: 15 })).toBe('0 7 15 * *');
    expect(toCron({ type: 'weekly', time: '18:30', weekdays: [] })).toBe('');
    expect(toCron({ type: 'daily', time: '25:00' })).toBe('');
  });

  it('expands daily runs in the chosen zone across the Berlin DST change (29 March 2026)', () => {
    const res = previewRuns({ type: 'daily', time: '09:00' }, 'Europe/Berlin', Date.parse('2026-03-27T12:00:00Z'), 3);
    // 28 Mar is CET (+01:00), 29 and 30 Mar are CEST (+02:00): same wall clock, different UTC.
    expect(res).toEqual({ ok: true, runs: ['2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z'] });
  });

  it('lists weekly runs only on the chosen weekdays', () => {
    const res = previewRuns({ type: 'weekly', time: '12:00', weekdays: [1, 3] }, 'UTC', FROM, 4);
    expect(res.ok && res.runs).toEqual([
      '2026-03-25T12:00:00Z',
      '2026-03-30T12:00:00Z',
      '2026-04-01T12:00:00Z',
      '2026-04-06T12:00:00Z',
    ]);
  });

  it('returns the single instant for once, and an error without one', () => {
    expect(previewRuns({ type: 'once' }, 'UTC', FROM, 5, '2026-04-01T10:00:00Z')).toEqual({ ok: true, runs: ['2026-04-01T10:00:00Z'] });
    expect(previewRuns({ type: 'once' }, 'UTC', FROM, 5, null).ok).toBe(false);
  });

  it('reports an invalid cron expression and an unknown zone as errors, not exceptions', () => {
    const bad = previewRuns({ type: 'custom', cron: '99 * * * *' }, 'UTC', FROM);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/Invalid cron/);
    const zone = previewRuns({ type: 'daily', time: '09:00' }, 'Nowhere/City', FROM);
    expect(!zone.ok && zone.error).toMatch(/Unknown time zone/);
  });

  it('accepts a valid custom cron in a non-UTC zone', () => {
    const res = previewRuns({ type: 'custom', cron: '0 9 * * 1-5' }, 'Asia/Kolkata', FROM, 2);
    expect(res).toEqual({ ok: true, runs: ['2026-03-25T03:30:00Z', '2026-03-26T03:30:00Z'] });
  });
});
