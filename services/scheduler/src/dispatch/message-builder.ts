import type { EventBus, PreparedEvent } from '@sx/bus';
import type { FiredJob } from './dispatch.repository';
import { prepareFired } from './dispatch-message';

/** What is remembered of a dispatched attempt once its message is sent: enough to record the ack. */
export type DispatchRef = Pick<FiredJob, 'id' | 'attempt' | 'kind'>;

/** A prepared job waiting for its instant, whose message may already be built. */
export interface PendingSend extends DispatchRef {
  readonly fireAt: number;
  /** The job's row, until its message is built (then dropped, like the envelope: see PreparedEvent). */
  job?: FiredJob;
  /** Built and serialised message; undefined until built, or when it cannot be built. */
  message?: PreparedEvent;
  /** Taken by the fire path: building it now would be wasted. */
  taken?: boolean;
}

/** How long one slice of building may hold the event loop. */
const SLICE_MS = 2;

/**
 * Builds dispatch messages ahead of their instant in slices of at most SLICE_MS, one slice per turn of
 * the event loop, earliest queued first. Building a thousand messages at once held the loop for tens of
 * milliseconds and delayed every timer due meanwhile; a send whose message is not built yet builds it itself.
 */
export class MessageBuilder {
  private queue: PendingSend[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly bus: EventBus,
    private readonly nowMs: () => number,
  ) {}

  enqueue(items: PendingSend[]): void {
    for (const item of items) this.queue.push(item);
    this.schedule();
  }

  clear(): void {
    this.queue = [];
    this.head = 0;
  }

  private schedule(): void {
    if (this.scheduled || this.head >= this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.buildSlice();
    });
  }

  private buildSlice(): void {
    const end = Date.now() + SLICE_MS;
    while (this.head < this.queue.length && Date.now() < end) {
      const item = this.queue[this.head++];
      if (item.taken || item.message || !item.job) continue;
      item.message = tryPrepare(this.bus, item.job, Math.max(this.nowMs(), item.fireAt));
      if (item.message) item.job = undefined;
    }
    if (this.head >= this.queue.length) this.clear();
    else if (this.head > 4_096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  }
}

/** The job's message, or undefined when it cannot be built (publishing it then reports why). */
function tryPrepare(bus: EventBus, job: FiredJob, firedAtMs: number): PreparedEvent | undefined {
  try {
    return prepareFired(bus, job, firedAtMs);
  } catch {
    return undefined;
  }
}
