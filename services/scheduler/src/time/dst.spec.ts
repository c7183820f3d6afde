import { DST_CASES, runDstCases } from './dst-cases';
import { compileRecurrence } from './recurrence';

describe('recurrence around the 2026 DST changes', () => {
  it.each(DST_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const rec = compileRecurrence(c.input, c.zone, new Date('2026-01-01T00:00:00Z'));
    expect(rec.occurrencesAfter(new Date(c.after), c.expected.length).map((d) => d.toISOString())).toEqual(c.expected);
  });

  it('reports no mismatch through the runner the TZ matrix uses', () => {
    expect(runDstCases()).toEqual([]);
  });
});
