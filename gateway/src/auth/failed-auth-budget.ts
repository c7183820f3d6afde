import { Inject, Injectable } from '@nestjs/common';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { SharedRateCounter } from '../http/shared-rate-counter';

/** Rejected credentials (bad or expired bearer tokens, unknown API keys, spent tickets) one address may present per minute. */
export const FAILED_AUTH_PER_MIN_PER_IP = 30;
const FORGET_AT_SIZE = 10_000;

/**
 * Failed authentication charged to a per-address budget in Postgres (`gateway.rate_windows`, shared by
 * every replica, like the sign-in budget), so guessing tokens or API keys ends in 429 + Retry-After. Once an
 * address is over, this process refuses it before looking at its credential at all, so a right guess
 * cannot be told from a wrong one until the window ends. Checking that costs no query: each replica learns
 * the block from its own next charge (at most one more guess per replica).
 */
@Injectable()
export class FailedAuthBudget {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly counter: SharedRateCounter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Throws 429 while `ip` is over its budget. */
  assertAllowed(ip: string): void {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return;
    const now = this.clock.nowMs();
    if (until <= now) {
      this.blockedUntil.delete(ip);
      return;
    }
    throw tooManyFailures(Math.max(1, Math.ceil((until - now) / 1000)));
  }

  /** Charges one failed attempt; the attempt that exceeds the budget is answered 429 instead of 401. */
  async charge(ip: string): Promise<void> {
    try {
      await this.counter.charge(`auth-fail-ip:${ip}`, FAILED_AUTH_PER_MIN_PER_IP);
    } catch (e) {
      const retryAfterS = (e as AppError).details as { retryAfterS?: number } | undefined;
      if (!(e instanceof AppError) || e.status !== 429 || typeof retryAfterS?.retryAfterS !== 'number') throw e;
      if (this.blockedUntil.size >= FORGET_AT_SIZE) this.forgetExpired();
      this.blockedUntil.set(ip, this.clock.nowMs() + retryAfterS.retryAfterS * 1000);
      throw tooManyFailures(retryAfterS.retryAfterS);
    }
  }

  private forgetExpired(): void {
    const now = this.clock.nowMs();
    for (const [ip, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(ip);
  }
}

function tooManyFailures(retryAfterS: number): AppError {
  return new AppError('rate_limited', 'Too many failed authentication attempts from this address; retry later', 429, { retryAfterS });
}
