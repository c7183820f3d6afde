import type { Clock } from '@sx/service-kit';
import type { TimerHandle, Timers } from '../core/timers';

interface Pending {
  handle: TimerHandle;
  at: number;
  fn: () => void;
}

/**
 * A clock and timer source that only move when a test calls `advance`, so delays (nak, ack wait,
 * dedupe window, request timeout) are tested without sleeping.
 */
export class ManualTime implements Clock, Timers {
  private current: number;
  private seq = 0;
  private readonly pending: Pending[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { id: ++this.seq };
    this.pending.push({ handle, at: this.current + Math.max(0, ms), fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    const i = this.pending.findIndex((p) => p.handle.id === handle.id);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** Number of timers waiting to fire. */
  get timerCount(): number {
    return this.pending.length;
  }

  /** Moves time forward, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      this.pending.sort((a, b) => a.at - b.at || a.handle.id - b.handle.id);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.pending.shift();
      this.current = next.at;
      next.fn();
    }
    this.current = target;
    await flushMicrotasks();
  }
}

/** Lets every queued promise callback run (several rounds, for chained awaits). */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
