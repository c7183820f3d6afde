import { formatCountdown, formatInZone, utcToZoned, zonedToUtc } from './time';

describe('time helpers', () => {
  it('formats countdowns at each scale and marks overdue', () => {
    expect(formatCountdown(9_400)).toBe('9s');
    expect(formatCountdown(4 * 60_000 + 5_000)).toBe('4m 05s');
    expect(formatCountdown(3_723_000)).toBe('1h 02m 03s');
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000 + 60_000)).toBe('2d 03h 01m');
    expect(formatCountdown(-65_000)).toBe('overdue by 1m 05s');
  });

  it('converts a wall-clock time in a zone to the UTC instant', () => {
    expect(zonedToUtc('2026-07-01', '09:30', 'Europe/Berlin')).toBe('2026-07-01T07:30:00Z');
    expect(zonedToUtc('2026-01-15', '09:30:15', 'Asia/Kolkata')).toBe('2026-01-15T04:00:15Z');
  });

  it('moves a nonexistent spring-forward time forward (America/New_York, 2026-03-08 02:30)', () => {
    // 02:30 does not exist; it becomes 03:30 EDT = 07:30Z.
    expect(zonedToUtc('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00Z');
  });

  it('takes the first occurrence of an ambiguous fall-back time (Europe/Berlin, 2026-10-25 02:30)', () => {
    // 02:30 happens twice; the first is still CEST (+02:00) = 00:30Z.
    expect(zonedToUtc('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00Z');
  });

  it('rejects malformed input instead of guessing', () => {
    expect(zonedToUtc('2026-13-40', '09:00', 'UTC')).toBeNull();
    expect(zonedToUtc('2026-01-01', 'nine', 'UTC')).toBeNull();
    expect(zonedToUtc('2026-01-01', '09:00', 'Mars/Olympus')).toBeNull();
  });

  it('round-trips UTC to zoned form fields and formats with the zone name', () => {
    expect(utcToZoned('2026-07-01T07:30:00Z', 'Europe/Berlin')).toEqual({ date: '2026-07-01', time: '09:30' });
    expect(utcToZoned('2026-07-01T07:30:05Z', 'UTC')).toEqual({ date: '2026-07-01', time: '07:30:05' });
    expect(formatInZone('2026-07-01T07:30:00Z', 'UTC')).toContain('07:30');
    expect(formatInZone(null, 'UTC')).toBe('—');
  });
});
