import { Subject } from 'rxjs';
import { coalesce } from './coalesce';

describe('coalesce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('refetches at once, then at most once per second with one trailing run, however many events come', () => {
    const events = new Subject<number>();
    const refetch = jest.fn();
    const sub = coalesce(events, refetch, 1_000);
    for (let i = 0; i < 2_000; i++) events.next(i);
    expect(refetch).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(999);
    expect(refetch).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(refetch).toHaveBeenCalledTimes(2);
    // A steady stream for 10 s: about one refetch per second, never one per event.
    for (let s = 0; s < 10; s++) {
      for (let i = 0; i < 200; i++) events.next(i);
      jest.advanceTimersByTime(1_000);
    }
    expect(refetch.mock.calls.length).toBeGreaterThanOrEqual(10);
    expect(refetch.mock.calls.length).toBeLessThanOrEqual(13);
    const before = refetch.mock.calls.length;
    jest.advanceTimersByTime(10_000);
    expect(refetch.mock.calls.length).toBeLessThanOrEqual(before + 1);
    sub.unsubscribe();
    events.next(1);
    jest.advanceTimersByTime(5_000);
    expect(refetch.mock.calls.length).toBeLessThanOrEqual(before + 1);
  });
});
