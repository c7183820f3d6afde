import type { RunResult } from './stats';

/**
 * The median of repeated runs of one (shape, system): by p99 lateness for spread shapes, by drain rate
 * for bursts. Its note lists every run's figure, so the spread between runs stays visible.
 */
export function medianRun(runs: RunResult[], by: 'p99' | 'throughput'): RunResult {
  if (runs.length === 1) return runs[0];
  const sorted = [...runs].sort((a, b) => a[by] - b[by]);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  const figures = runs.map((r) => (by === 'p99' ? `${r.p99} ms` : `${Math.round(r.throughput)}/s`)).join(', ');
  const note = [`median of ${runs.length} runs by ${by === 'p99' ? 'p99' : 'drain rate'} (${figures})`, mid.note].filter(Boolean).join('; ');
  return { ...mid, note };
}
