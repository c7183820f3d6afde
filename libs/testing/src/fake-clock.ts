import type { Clock } from '@sx/service-kit';

interface PendingTimer {
  id: number;
  dueMs: number;
  fn: () => void;
}

/**
 * A Clock whose time only moves when the test says so, with a small timer scheduler:
 * `advance()` fires every timer that falls due, in due order, with `now()` set to each one's
 * due time — so code under test sees exactly the instants it asked for.
 */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: PendingTimer[] = [];

  constructor(start: Date | string | number = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`FakeClock: invalid start time ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  /** Jumps to `to` (forward or backward, like a wall-clock step); fires timers due on the way forward. */
  set(to: Date | string | number): void {
    const target = new Date(to).getTime();
    if (Number.isNaN(target)) throw new Error(`FakeClock: invalid time ${String(to)}`);
    if (target >= this.current) this.runUntil(target);
    this.current = target;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('FakeClock.advance: ms must be >= 0');
    this.runUntil(this.current + ms);
  }

  /** Runs `fn` once the clock reaches now + `ms`; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.push({ id, dueMs: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Timers not yet fired. */
  pendingTimers(): number {
    return this.timers.length;
  }

  private runUntil(target: number): void {
    for (;;) {
      const next = this.earliestDue(target);
      if (!next) break;
      this.timers = this.timers.filter((t) => t.id !== next.id);
      this.current = Math.max(this.current, next.dueMs);
      next.fn();
    }
    this.current = target;
  }

  private earliestDue(target: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.dueMs > target) continue;
      if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    }
    return best;
  }
}
