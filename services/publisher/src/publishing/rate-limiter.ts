import type { PluginManifest, RateLimitObservation } from '@sx/plugin-sdk';

interface Bucket {
  capacity: number;
  tokens: number;
  refillPerMs: number;
  updatedMs: number;
}

interface AccountState {
  buckets: Bucket[];
  blockedUntilMs: number;
}

/**
 * Per-account token buckets built from the manifest's account-scoped rate limits, corrected by what
 * the platform says: a 429 or `remaining: 0` empties the account until the reset instant.
 */
export class AccountRateLimiter {
  private readonly accounts = new Map<string, AccountState>();

  /** Takes one token from every bucket; returns 0 when granted, else the ms to wait (nothing taken). */
  reserve(accountId: string, limits: PluginManifest['rateLimits'], nowMs: number): number {
    const s = this.state(accountId, limits, nowMs);
    if (s.blockedUntilMs > nowMs) return s.blockedUntilMs - nowMs;
    let wait = 0;
    for (const b of s.buckets) {
      refill(b, nowMs);
      if (b.tokens < 1) wait = Math.max(wait, Math.ceil((1 - b.tokens) / b.refillPerMs));
    }
    if (wait > 0) return wait;
    for (const b of s.buckets) b.tokens -= 1;
    return 0;
  }

  /** The platform refused with a reset instant: nothing goes out for this account before it. */
  blockUntil(accountId: string, resetAtMs: number): void {
    const s = this.accounts.get(accountId) ?? { buckets: [], blockedUntilMs: 0 };
    s.blockedUntilMs = Math.max(s.blockedUntilMs, resetAtMs);
    this.accounts.set(accountId, s);
  }

  /** Applies response headers seen during a call. */
  observe(accountId: string, o: RateLimitObservation | undefined, nowMs: number): void {
    if (!o) return;
    const resetMs = o.resetAt ? Date.parse(o.resetAt) : NaN;
    if (o.remaining === 0 && !Number.isNaN(resetMs) && resetMs > nowMs) this.blockUntil(accountId, resetMs);
    const s = this.accounts.get(accountId);
    if (s && o.remaining !== undefined) {
      for (const b of s.buckets) {
        refill(b, nowMs);
        b.tokens = Math.min(b.tokens, o.remaining);
      }
    }
  }

  private state(accountId: string, limits: PluginManifest['rateLimits'], nowMs: number): AccountState {
    let s = this.accounts.get(accountId);
    if (!s) {
      s = { buckets: [], blockedUntilMs: 0 };
      this.accounts.set(accountId, s);
    }
    if (!s.buckets.length) {
      s.buckets = limits
        .filter((l) => l.scope === 'account')
        .map((l) => ({ capacity: l.limit, tokens: l.limit, refillPerMs: l.limit / (l.windowS * 1000), updatedMs: nowMs }));
    }
    return s;
  }
}

function refill(b: Bucket, nowMs: number): void {
  if (nowMs > b.updatedMs) {
    b.tokens = Math.min(b.capacity, b.tokens + (nowMs - b.updatedMs) * b.refillPerMs);
    b.updatedMs = nowMs;
  }
}
