import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { GatewayDb } from '../db/gateway-db';
import { RATE_WINDOW_MS } from './rate-limiter.service';

/** Past windows are deleted at most this often. */
const FORGET_EVERY_MS = 5 * 60_000;

/**
 * Budgets counted in Postgres over the same fixed one-minute windows as RateLimiterService, so every
 * gateway replica charges one budget: for low-volume, security-relevant budgets (sign-in attempts per
 * address and per account), where N replicas must not mean N times the guesses. Keys are stored hashed,
 * so the table holds no addresses or emails.
 */
@Injectable()
export class SharedRateCounter {
  private forgottenAt = 0;

  constructor(
    private readonly db: GatewayDb,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Charges one request to `key`; over `limit` in this window throws 429 `rate_limited` with Retry-After. */
  async charge(key: string, limit: number): Promise<void> {
    const now = this.clock.nowMs();
    const start = now - (now % RATE_WINDOW_MS);
    await this.forgetPast(now, start);
    const [row] = await this.db.query<{ count: number }>(
      `INSERT INTO gateway.rate_windows (key_hash, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (key_hash, window_start) DO UPDATE SET count = gateway.rate_windows.count + 1 RETURNING count`,
      [createHash('sha256').update(key).digest('hex'), new Date(start)],
    );
    if ((row?.count ?? 0) > limit) {
      const retryAfterS = Math.max(1, Math.ceil((start + RATE_WINDOW_MS - now) / 1000));
      throw new AppError('rate_limited', 'Too many requests; retry later', 429, { retryAfterS });
    }
  }

  private async forgetPast(now: number, currentStart: number): Promise<void> {
    if (now - this.forgottenAt < FORGET_EVERY_MS) return;
    this.forgottenAt = now;
    await this.db.query(`DELETE FROM gateway.rate_windows WHERE window_start < $1`, [new Date(currentStart)]);
  }
}
