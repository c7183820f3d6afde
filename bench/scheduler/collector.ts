import { percentile, type RunResult, type ShapeSpec } from './stats';

/** What a consumer saw during one run, summarised where it consumed (the consumer child). */
export type Consumption = Pick<RunResult, 'expected' | 'received' | 'duplicates' | 'p50' | 'p99' | 'max'> & {
  /** When the last distinct job was consumed (epoch ms). */
  lastConsumeMs: number;
};

/**
 * Records, per consumed message, its lateness (consume time − due time, both Date.now() on this machine)
 * and counts distinct jobs and duplicates. It lives in the consumer child, so recording costs the
 * system under test nothing: only the summary crosses to the benchmark process, once per run.
 */
export class Collector {
  private readonly lateness: Float64Array;
  private readonly seen = new Set<string>();
  private n = 0;
  private dups = 0;
  private lastConsumeMs = 0;

  constructor(private readonly expected: number) {
    this.lateness = new Float64Array(expected);
  }

  /** Returns true when this record completed the run (every expected job seen). */
  record(jobId: string, dueMs: number, now: number): boolean {
    if (this.seen.has(jobId)) {
      this.dups++;
      return false;
    }
    this.seen.add(jobId);
    if (this.n < this.expected) this.lateness[this.n] = now - dueMs;
    this.n++;
    this.lastConsumeMs = Math.max(this.lastConsumeMs, now);
    return this.n === this.expected;
  }

  summary(): Consumption {
    const got = Math.min(this.n, this.expected);
    const sorted = this.lateness.slice(0, got).sort();
    return {
      expected: this.expected,
      received: got,
      duplicates: this.dups,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: got > 0 ? sorted[got - 1] : Number.NaN,
      lastConsumeMs: this.lastConsumeMs,
    };
  }
}

/** One table row from a run's consumption; throughput counts from the first due time to the last consume. */
export function runResult(system: string, shape: ShapeSpec, firstDueMs: number, seedMs: number, c: Consumption, note?: string): RunResult {
  const { lastConsumeMs, ...counts } = c;
  const span = (lastConsumeMs - firstDueMs) / 1000;
  const throughput = c.received > 0 && span > 0 ? c.received / span : Number.NaN;
  return { system, shape: shape.name, ...counts, throughput, seedMs, note };
}
