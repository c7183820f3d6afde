export interface RetryPolicyOptions {
  baseMs?: number;
  maxMs?: number;
  /** Returns [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Exponential backoff with jitter: attempt n waits base·2^(n-1), scaled by a random factor in
 * [0.5, 1), capped at maxMs — but never earlier than the platform asked (Retry-After / reset).
 */
export class RetryPolicy {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(o: RetryPolicyOptions = {}) {
    this.baseMs = o.baseMs ?? 5_000;
    this.maxMs = o.maxMs ?? 15 * 60_000;
    this.random = o.random ?? Math.random;
  }

  delayMs(attempt: number, platformMinimumMs = 0): number {
    const exp = Math.min(this.maxMs, this.baseMs * 2 ** Math.max(0, attempt - 1));
    const jittered = Math.round(exp * (0.5 + this.random() / 2));
    return Math.max(jittered, Math.ceil(platformMinimumMs));
  }
}
