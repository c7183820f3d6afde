import { BudgetBookings } from './budget-bookings';
import { AccountRateLimiter } from './rate-limiter';

const limits = [{ name: 'deliveries', scope: 'account' as const, limit: 60, windowS: 60 }];
const t0 = Date.UTC(2026, 0, 1);

describe('BudgetBookings (rate-limit deferral)', () => {
  it('gives every post past the budget its own later instant, one token apart, instead of one shared retry time', () => {
    const b = new BudgetBookings(new AccountRateLimiter());
    const waits = [...Array(100).keys()].map((i) => b.take(`job-${i}`, 'acct', limits, t0));
    expect(waits.slice(0, 60).every((w) => w === 0)).toBe(true);
    expect(waits.slice(60)).toEqual([...Array(40).keys()].map((k) => (k + 1) * 1000));
  });

  it('lets a deferred post go on the token it booked when it comes back, and re-defers an early return without booking again', () => {
    const limiter = new AccountRateLimiter();
    const b = new BudgetBookings(limiter);
    for (let i = 0; i < 60; i++) b.take(`job-${i}`, 'acct', limits, t0);
    expect(b.take('late-1', 'acct', limits, t0)).toBe(1000);
    expect(b.take('late-2', 'acct', limits, t0)).toBe(2000);
    expect(b.take('late-2', 'acct', limits, t0 + 500)).toBe(1500); // early: same instant, no second token
    expect(b.take('late-1', 'acct', limits, t0 + 1000)).toBe(0);
    expect(b.take('late-2', 'acct', limits, t0 + 2000)).toBe(0);
    // Nothing was booked twice: the next new post waits for the third token after the budget.
    expect(b.take('late-3', 'acct', limits, t0 + 2000)).toBe(1000);
  });

  it('books nothing while the platform blocks the account: held posts book their turn when the block lifts', () => {
    const limiter = new AccountRateLimiter();
    const b = new BudgetBookings(limiter);
    limiter.blockUntil('acct', t0 + 30_000);
    expect(b.take('a', 'acct', limits, t0)).toBe(30_000);
    expect(b.take('b', 'acct', limits, t0)).toBe(30_000);
    expect(b.take('a', 'acct', limits, t0 + 30_000)).toBe(0);
    expect(b.take('b', 'acct', limits, t0 + 30_000)).toBe(0);
  });
});
