import { percentile, type RunResult, type ShapeSpec } from './stats';

/**
 * Records, per consumed message, its lateness (consume time − due time, both Date.now() in this process)
 * and counts distinct jobs and duplicates. `done` resolves once every expected job was seen, or at the deadline.
 */
export class Collector {
  private readonly lateness: Float64Array;
  private readonly seen = new Set<string>();
  private n = 0;
  private dups = 0;
  private lastConsumeMs = 0;
  private resolveDone?: () => void;
  readonly done: Promise<void>;

  constructor(private readonly expected: number) {
    this.lateness = new Float64Array(expected);
    this.done = new Promise<void>((r) => {
      this.resolveDone = r;
    });
  }

  get received(): number {
    return this.n;
  }

  /** `now`: when the message was consumed (epoch ms; a consumer in another process passes its own reading). */
  record(jobId: string, dueMs: number, now = Date.now()): void {
    if (this.seen.has(jobId)) {
      this.dups++;
      return;
    }
    this.seen.add(jobId);
    if (this.n < this.expected) this.lateness[this.n] = now - dueMs;
    this.n++;
    this.lastConsumeMs = Math.max(this.lastConsumeMs, now);
    if (this.n >= this.expected) this.resolveDone?.();
  }

  /** Waits until every job was consumed or `deadlineMs` (epoch) passed. */
  async wait(deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => {
      timer = setTimeout(r, Math.max(0, deadlineMs - Date.now()));
    });
    await Promise.race([this.done, deadline]);
    clearTimeout(timer);
  }

  result(system: string, shape: ShapeSpec, firstDueMs: number, seedMs: number, note?: string): RunResult {
    const got = Math.min(this.n, this.expected);
    const sorted = this.lateness.slice(0, got).sort();
    const span = (this.lastConsumeMs - firstDueMs) / 1000;
    return {
      system,
      shape: shape.name,
      expected: this.expected,
      received: got,
      duplicates: this.dups,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: got > 0 ? sorted[got - 1] : Number.NaN,
      throughput: got > 0 && span > 0 ? got / span : Number.NaN,
      seedMs,
      note,
    };
  }
}
