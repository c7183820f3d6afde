import { withTimeout as busWithTimeout } from '@sx/bus';
/** Lateness statistics and the small helpers every runner shares. */
export interface ShapeSpec {
  name: string;
  count: number;
  /** 0 = every job due at one instant. */
  spreadMs: number;
}

export interface RunResult {
  system: string;
  shape: string;
  expected: number;
  received: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  /** Distinct jobs consumed per second, from the first due time to the last consume. */
  throughput: number;
  seedMs: number;
  note?: string;
}

/** Due time of job i of a shape whose first job is due at `firstDueMs`. */
export function dueAt(shape: ShapeSpec, firstDueMs: number, i: number): number {
  return shape.count <= 1 || shape.spreadMs === 0 ? firstDueMs : firstDueMs + Math.floor((i * shape.spreadMs) / (shape.count - 1));
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** Rejects when `p` does not settle within `ms` (a publish or insert batch can stall under load). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return busWithTimeout(p, ms, `${what} timed out after ${ms} ms`);
}

/** Runs `fn` over `items` in consecutive chunks of `size`, each chunk under a timeout. */
export async function inChunks<T>(items: number, size: number, what: string, fn: (from: number, to: number) => Promise<T>): Promise<void> {
  for (let from = 0; from < items; from += size) {
    await withTimeout(fn(from, Math.min(items, from + size)), 30_000, `${what} [${from}..${from + size})`);
  }
}

export function gcNow(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}
