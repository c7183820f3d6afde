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
  /** True once the platform's own numbers (headers, a 429) have corrected the manifest's buckets. */
  fromHeaders: boolean;
}

/** What an account may still send: the tightest bucket, or zero while the platform blocks it. */
export interface RateLimitBudget {
  remaining: number;
  capacity: number;
  /** When the budget is full again (or the block lifts); null when it is full now. */
  resetsAt: string | null;
  source: 'manifest' | 'headers';
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

  /**
   * Books the account's next free token for one post and returns how long it must wait for it (0: now).
   * Unlike `reserve`, the token is taken even when it is not there yet (the buckets go into debt), so
   * posts held back by one budget get successive instants instead of all coming back at the same one.
   * While the platform blocks the account, nothing is booked: the wait is the block.
   */
  book(accountId: string, limits: PluginManifest['rateLimits'], nowMs: number): { waitMs: number; booked: boolean } {
    const s = this.state(accountId, limits, nowMs);
    if (s.blockedUntilMs > nowMs) return { waitMs: s.blockedUntilMs - nowMs, booked: false };
    let wait = 0;
    for (const b of s.buckets) {
      refill(b, nowMs);
      if (b.tokens < 1) wait = Math.max(wait, Math.ceil((1 - b.tokens) / b.refillPerMs));
      b.tokens -= 1;
    }
    return { waitMs: wait, booked: true };
  }

  /** The platform refused with a reset instant: nothing goes out for this account before it. */
  blockUntil(accountId: string, resetAtMs: number): void {
    const s = this.accounts.get(accountId) ?? { buckets: [], blockedUntilMs: 0, fromHeaders: false };
    s.blockedUntilMs = Math.max(s.blockedUntilMs, resetAtMs);
    s.fromHeaders = true;
    this.accounts.set(accountId, s);
  }

  /** Applies response headers seen during a call. */
  observe(accountId: string, o: RateLimitObservation | undefined, nowMs: number): void {
    if (!o) return;
    const resetMs = o.resetAt ? Date.parse(o.resetAt) : NaN;
    if (o.remaining === 0 && !Number.isNaN(resetMs) && resetMs > nowMs) this.blockUntil(accountId, resetMs);
    const s = this.accounts.get(accountId);
    if (s && o.remaining !== undefined) {
      if (s.buckets.length) s.fromHeaders = true;
      for (const b of s.buckets) {
        refill(b, nowMs);
        b.tokens = Math.min(b.tokens, o.remaining);
      }
    }
  }

  /**
   * The current budget without taking anything; an account never seen yet shows its full manifest
   * capacity. Undefined when the manifest declares no account-scoped limit.
   */
  budget(accountId: string, limits: PluginManifest['rateLimits'], nowMs: number): RateLimitBudget | undefined {
    const s = this.accounts.get(accountId);
    const buckets = s?.buckets.length ? s.buckets.map((b) => refilled(b, nowMs)) : fromManifest(limits, nowMs);
    if (!buckets.length) return undefined;
    const tightest = buckets.reduce((a, b) => (Math.floor(b.tokens) < Math.floor(a.tokens) ? b : a));
    const fullAtMs = Math.max(...buckets.map((b) => b.updatedMs + Math.ceil((b.capacity - b.tokens) / b.refillPerMs)));
    const blockedMs = s && s.blockedUntilMs > nowMs ? s.blockedUntilMs : 0;
    const resetMs = Math.max(blockedMs, fullAtMs > nowMs ? fullAtMs : 0);
    return {
      remaining: blockedMs ? 0 : Math.max(0, Math.floor(tightest.tokens)),
      capacity: tightest.capacity,
      resetsAt: resetMs ? new Date(resetMs).toISOString() : null,
      source: s?.fromHeaders ? 'headers' : 'manifest',
    };
  }

  private state(accountId: string, limits: PluginManifest['rateLimits'], nowMs: number): AccountState {
    let s = this.accounts.get(accountId);
    if (!s) {
      s = { buckets: [], blockedUntilMs: 0, fromHeaders: false };
      this.accounts.set(accountId, s);
    }
    if (!s.buckets.length) {
      s.buckets = fromManifest(limits, nowMs);
    }
    return s;
  }
}

function fromManifest(limits: PluginManifest['rateLimits'], nowMs: number): Bucket[] {
  return limits
    .filter((l) => l.scope === 'account')
    .map((l) => ({ capacity: l.limit, tokens: l.limit, refillPerMs: l.limit / (l.windowS * 1000), updatedMs: nowMs }));
}

/** A refilled copy: reading the budget never changes the limiter. */
function refilled(b: Bucket, nowMs: number): Bucket {
  const copy = { ...b };
  refill(copy, nowMs);
  return copy;
}

function refill(b: Bucket, nowMs: number): void {
  if (nowMs > b.updatedMs) {
    b.tokens = Math.min(b.capacity, b.tokens + (nowMs - b.updatedMs) * b.refillPerMs);
    b.updatedMs = nowMs;
  }
}
