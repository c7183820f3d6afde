import { Observable, Subscription, asyncScheduler, throttleTime } from 'rxjs';

/** At most one refetch per view per second, however many events arrive (a bulk import sends thousands). */
export const REFETCH_INTERVAL_MS = 1_000;

/**
 * Runs `refetch` for the first trigger at once, then at most once per `intervalMs`, with one
 * trailing run so the last change is never missed. Returns the subscription to end it with the view.
 */
export function coalesce<T>(triggers: Observable<T>, refetch: () => void, intervalMs = REFETCH_INTERVAL_MS): Subscription {
  return triggers.pipe(throttleTime(intervalMs, asyncScheduler, { leading: true, trailing: true })).subscribe(() => refetch());
}
