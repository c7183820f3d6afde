import { catchUpVerdict } from '../schedules/schedule.types';
import { TimerHeap } from './timer-heap';

describe('TimerHeap', () => {
  it('pops due items in fire order, ties in insertion order, and ignores duplicates', () => {
    const heap = new TimerHeap<{ id: string; fireAt: number }>();
    for (const [id, fireAt] of [['c', 30], ['a', 10], ['b', 20], ['a2', 10], ['late', 100]] as const) heap.push({ id, fireAt });
    heap.push({ id: 'a', fireAt: 1 });
    expect(heap.size).toBe(5);
    expect(heap.popDue(30).map((x) => x.id)).toEqual(['a', 'a2', 'b', 'c']);
    expect(heap.peek()?.id).toBe('late');
    expect(heap.popDue(99)).toEqual([]);
  });

  it('drops items whose lease was lost and keeps the rest ordered', () => {
    const heap = new TimerHeap<{ id: string; fireAt: number }>();
    for (let i = 0; i < 50; i++) heap.push({ id: `j${i}`, fireAt: (i * 37) % 50 });
    expect(heap.retain((x) => Number(x.id.slice(1)) % 2 === 0)).toBe(25);
    const order = heap.popDue(1_000).map((x) => x.fireAt);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).toHaveLength(25);
    expect(heap.has('j0')).toBe(false);
  });
});

describe('TimerHeap.countDue', () => {
  it('counts exactly the items due by a time, up to a cap, without removing any', () => {
    const heap = new TimerHeap<{ id: string; fireAt: number }>();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    times.forEach((fireAt, i) => heap.push({ id: `j${i}`, fireAt }));
    for (const until of [-1, 0, 1, 250, 499, 999, 5000]) {
      expect(heap.countDue(until)).toBe(times.filter((t) => t <= until).length);
    }
    expect(heap.countDue(999, 40)).toBe(40);
    expect(heap.size).toBe(500);
    expect(new TimerHeap<{ id: string; fireAt: number }>().countDue(10)).toBe(0);
  });

  it('filters items by a predicate without removing any', () => {
    const heap = new TimerHeap<{ id: string; fireAt: number }>();
    for (let i = 0; i < 50; i++) heap.push({ id: `j${i}`, fireAt: 1000 - i });
    const picked = heap.filter((j) => j.fireAt % 10 === 0).map((j) => j.id).sort();
    expect(picked).toEqual(['j0', 'j10', 'j20', 'j30', 'j40']);
    expect(heap.size).toBe(50);
    expect(heap.popDue(951).map((j) => j.fireAt)).toEqual([951]);
  });
});

describe('catch-up policy', () => {
  it('publishes late inside the window and skips beyond it with a reason', () => {
    const policy = { mode: 'publish_late' as const, maxLateMinutes: 30 };
    expect(catchUpVerdict(policy, 29 * 60_000)).toBeUndefined();
    expect(catchUpVerdict(policy, 31 * 60_000)).toBe('skipped: missed by 31 min, more than the 30-minute catch-up window');
  });

  it('with "skip" tolerates normal jitter but skips after downtime', () => {
    expect(catchUpVerdict({ mode: 'skip' }, 250)).toBeUndefined();
    expect(catchUpVerdict({ mode: 'skip' }, 3 * 60_000)).toMatch(/^skipped: missed by 3 min/);
  });
});
