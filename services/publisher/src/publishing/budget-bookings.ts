import type { PluginManifest } from '@sx/plugin-sdk';
import type { AccountRateLimiter } from './rate-limiter';

/** Bookings older than this past their instant are forgotten (the job was cancelled, or went elsewhere). */
const FORGET_AFTER_MS = 60 * 60_000;
const PRUNE_AT_SIZE = 10_000;

/**
 * The instant each deferred job booked from its account's budget. A job that comes back at (or after)
 * its instant goes out on the token it already holds; one that comes back early (clock step, manual
 * force) is deferred to the same instant again without booking a second token. A restart forgets the
 * bookings together with the buckets, so a returning job simply books again.
 */
export class BudgetBookings {
  private readonly booked = new Map<string, number>();

  constructor(private readonly limiter: AccountRateLimiter) {}

  /** 0 when the job may call the platform now, else how long to defer it. */
  take(jobId: string, accountId: string, limits: PluginManifest['rateLimits'], nowMs: number): number {
    const at = this.booked.get(jobId);
    if (at !== undefined) {
      if (nowMs >= at) {
        this.booked.delete(jobId);
        return 0;
      }
      return at - nowMs;
    }
    const { waitMs, booked } = this.limiter.book(accountId, limits, nowMs);
    // Held by a platform block: nothing booked, so the job books its turn when the block lifts.
    if (waitMs > 0 && booked) this.remember(jobId, nowMs + waitMs, nowMs);
    return waitMs;
  }

  private remember(jobId: string, atMs: number, nowMs: number): void {
    if (this.booked.size >= PRUNE_AT_SIZE) {
      for (const [id, at] of this.booked) if (at + FORGET_AFTER_MS < nowMs) this.booked.delete(id);
    }
    this.booked.set(jobId, atMs);
  }
}
