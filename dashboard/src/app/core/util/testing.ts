import { Provider, signal } from '@angular/core';
import { CLOCK, Clock, Ticker } from './clock';

/** A clock and ticker that only move when the test says so. */
export class FakeTime implements Clock {
  readonly ticker = { now: signal(0) } as unknown as Ticker;
  constructor(private current: number) {
    this.ticker.now.set(current);
  }
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
    this.ticker.now.set(ms);
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
}

export function provideFakeTime(time: FakeTime): Provider[] {
  return [
    { provide: CLOCK, useValue: time },
    { provide: Ticker, useValue: time.ticker },
  ];
}
