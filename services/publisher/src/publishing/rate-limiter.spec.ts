import { AccountRateLimiter } from './rate-limiter';
import { RetryPolicy } from './retry-policy';

const limits = [{ name: 'posts', scope: 'account' as const, limit: 2, windowS: 10 }];

describe('AccountRateLimiter', () => {
  it('grants up to the bucket size, then says how long to wait for the next token', () => {
    const r = new AccountRateLimiter();
    const t0 = Date.UTC(2026, 0, 1);
    expect(r.reserve('a', limits, t0)).toBe(0);
    expect(r.reserve('a', limits, t0)).toBe(0);
    expect(r.reserve('a', limits, t0)).toBe(5000);
    expect(r.reserve('b', limits, t0)).toBe(0);
    expect(r.reserve('a', limits, t0 + 5000)).toBe(0);
  });

  it('blocks an account until the reset a 429 or remaining:0 announced', () => {
    const r = new AccountRateLimiter();
    const t0 = Date.UTC(2026, 0, 1);
    r.blockUntil('a', t0 + 30_000);
    expect(r.reserve('a', limits, t0)).toBe(30_000);
    expect(r.reserve('a', limits, t0 + 30_000)).toBe(0);
    r.observe('a', { remaining: 0, resetAt: new Date(t0 + 90_000).toISOString() }, t0 + 31_000);
    expect(r.reserve('a', limits, t0 + 60_000)).toBe(30_000);
  });
});

describe('RetryPolicy', () => {
  it('grows exponentially with jitter and never retries before the platform allows', () => {
    const low = new RetryPolicy({ baseMs: 1000, random: () => 0 });
    const high = new RetryPolicy({ baseMs: 1000, random: () => 0.999 });
    expect(low.delayMs(1)).toBe(500);
    expect(low.delayMs(3)).toBe(2000);
    expect(high.delayMs(3)).toBeLessThan(4000);
    expect(high.delayMs(3)).toBeGreaterThan(3900);
    expect(low.delayMs(1, 60_000)).toBe(60_000);
    expect(new RetryPolicy({ baseMs: 1000, maxMs: 3000, random: () => 0.999 }).delayMs(10)).toBeLessThanOrEqual(3000);
  });
});
