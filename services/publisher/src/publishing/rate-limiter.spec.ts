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

describe('AccountRateLimiter.budget', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const two = [...limits, { name: 'burst', scope: 'account' as const, limit: 10, windowS: 10 }];

  it('shows the manifest capacity for an unseen account and nothing without account-scoped limits', () => {
    const r = new AccountRateLimiter();
    expect(r.budget('a', limits, t0)).toEqual({ remaining: 2, capacity: 2, resetsAt: null, source: 'manifest' });
    expect(r.budget('a', [{ name: 'app', scope: 'app', limit: 9, windowS: 1 }], t0)).toBeUndefined();
    expect(r.reserve('a', limits, t0)).toBe(0);
  });

  it('drops as tokens are spent, reports the tightest bucket and refills over time without consuming', () => {
    const r = new AccountRateLimiter();
    expect(r.reserve('a', two, t0)).toBe(0);
    expect(r.budget('a', two, t0)).toEqual({ remaining: 1, capacity: 2, resetsAt: new Date(t0 + 5000).toISOString(), source: 'manifest' });
    expect(r.reserve('a', two, t0)).toBe(0);
    expect(r.budget('a', two, t0)?.remaining).toBe(0);
    expect(r.budget('a', two, t0 + 5000)?.remaining).toBe(1);
    expect(r.budget('a', two, t0 + 5000)?.remaining).toBe(1);
    expect(r.budget('a', two, t0 + 10_000)).toEqual({ remaining: 2, capacity: 2, resetsAt: null, source: 'manifest' });
  });

  it('follows the platform: a 429 block zeroes the budget until its reset, headers lower it', () => {
    const r = new AccountRateLimiter();
    r.blockUntil('a', t0 + 30_000);
    expect(r.budget('a', limits, t0)).toEqual({ remaining: 0, capacity: 2, resetsAt: new Date(t0 + 30_000).toISOString(), source: 'headers' });
    const b = new AccountRateLimiter();
    expect(b.reserve('b', two, t0)).toBe(0);
    b.observe('b', { remaining: 0 }, t0);
    expect(b.budget('b', two, t0)).toMatchObject({ remaining: 0, source: 'headers' });
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
