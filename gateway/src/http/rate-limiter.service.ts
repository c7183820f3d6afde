import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';

/** Budgets run over fixed windows of this length (also SharedRateCounter's). */
export const RATE_WINDOW_MS = 60_000;

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

/**
 * Per-caller request budget (config.auth.rateLimitPerMin) over fixed one-minute windows, so
 * Retry-After is exact: the budget is back when the window ends. State is per process: with N
 * gateway replicas a caller gets up to N budgets, the documented price of not needing Redis. Sign-in
 * attempts, where that price would matter, are counted in Postgres instead (SharedRateCounter).
 */
@Injectable()
export class RateLimiterService {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private hits = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  hit(key: string, limit = this.config.auth.rateLimitPerMin): RateDecision {
    const now = this.clock.nowMs();
    const start = now - (now % RATE_WINDOW_MS);
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    if (++this.hits % 1000 === 0) this.sweep(start);
    if (w.count >= limit) {
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((start + RATE_WINDOW_MS - now) / 1000)) };
    }
    w.count += 1;
    return { allowed: true, remaining: limit - w.count };
  }

  /** Charges `key`; over budget throws 429 `rate_limited` (the error filter adds Retry-After). */
  charge(key: string, limit?: number): number {
    const decision = this.hit(key, limit);
    if (!decision.allowed) {
      throw new AppError('rate_limited', 'Too many requests; retry later', 429, { retryAfterS: decision.retryAfterS });
    }
    return decision.remaining;
  }

  private sweep(currentStart: number): void {
    for (const [key, w] of this.windows) if (w.start < currentStart) this.windows.delete(key);
  }
}
