/** Timer source for delays (nak delay, ack wait, request timeout); tests inject a manual one. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

interface SystemHandle extends TimerHandle {
  readonly timer: NodeJS.Timeout;
}

let nextId = 1;

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    const handle: SystemHandle = { id: nextId++, timer };
    return handle;
  },
  clearTimeout(handle) {
    const timer = (handle as SystemHandle).timer;
    if (timer) clearTimeout(timer);
  },
};

/** Rejects with `message` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string, timers: Timers = systemTimers): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (v) => {
        timers.clearTimeout(handle);
        resolve(v);
      },
      (e: unknown) => {
        timers.clearTimeout(handle);
        reject(e);
      },
    );
  });
}
