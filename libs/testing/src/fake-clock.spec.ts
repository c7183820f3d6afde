import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('only moves when told to', () => {
    const clock = new FakeClock('2026-03-29T00:30:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-29T00:30:00.000Z');
    clock.advance(90_000);
    expect(clock.nowMs()).toBe(Date.parse('2026-03-29T00:31:30Z'));
    clock.set('2026-03-28T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-28T00:00:00.000Z');
  });

  it('fires due timers in due order, each at its own instant, and skips cleared ones', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.nowMs()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.nowMs()}`), 100);
    const c = clock.setTimeout(() => fired.push('c'), 150);
    clock.setTimeout(() => fired.push('late'), 1_000);
    clock.clearTimeout(c);
    clock.advance(500);
    expect(fired).toEqual(['a@100', 'b@200']);
    expect(clock.nowMs()).toBe(500);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('runs timers scheduled by a firing timer when they fall inside the same advance', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.nowMs());
      clock.setTimeout(() => fired.push(clock.nowMs()), 50);
    }, 100);
    clock.advance(120);
    expect(fired).toEqual([100]);
    clock.advance(30);
    expect(fired).toEqual([100, 150]);
  });

  it('rejects invalid times and negative advances', () => {
    expect(() => new FakeClock('not a date')).toThrow(/invalid start/);
    expect(() => new FakeClock(0).advance(-1)).toThrow(/>= 0/);
  });
});
