import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';

/** Wall clock, injected so tests control time. */
export interface Clock {
  now(): number;
}

export const CLOCK = new InjectionToken<Clock>('CLOCK', { providedIn: 'root', factory: () => ({ now: () => Date.now() }) });

/**
 * One shared one-second tick for every countdown on screen. Tests replace it with
 * `provideFakeTicker()` and move time by hand, so no test waits on a real timer.
 */
@Injectable({ providedIn: 'root' })
export class Ticker {
  private readonly clock = inject(CLOCK);
  readonly now = signal(this.clock.now());

  constructor() {
    const id = setInterval(() => this.now.set(this.clock.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(id));
  }
}
