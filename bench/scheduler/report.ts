import type { RunResult } from './stats';

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : 'n/a');
const ratio = (v: number) => (Number.isFinite(v) ? (v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)) : 'n/a');
const rate = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

/** The results table: one row per (shape, system). */
export function printTable(results: RunResult[]): void {
  const head = ['shape', 'system', 'consumed', 'dups', 'p50 ms', 'p99 ms', 'max ms', 'jobs/s', 'seed s'];
  const rows = results.map((r) => [
    r.shape,
    r.system,
    `${r.received}/${r.expected}`,
    String(r.duplicates),
    ms(r.p50),
    ms(r.p99),
    ms(r.max),
    rate(r.throughput),
    (r.seedMs / 1000).toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  console.log(pad(head, widths));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(pad(row, widths));
  const notes = results.filter((r) => r.note);
  if (notes.length > 0) console.log('');
  for (const r of notes) console.log(`  ${r.shape}/${r.system}: ${r.note}`);
}

interface Target {
  label: string;
  value: string;
  met: boolean | undefined;
}

function find(results: RunResult[], shape: string, system: string): RunResult | undefined {
  return results.find((r) => r.shape === shape && r.system === system);
}

const complete = (r: RunResult | undefined): r is RunResult => r !== undefined && r.received === r.expected && r.received > 0;

/** Ratios against the targets, each printed as met, MISSED, or not measured. */
export function printTargets(results: RunResult[]): boolean {
  const ours = find(results, 'spread', 'SchedulerX');
  const bull = find(results, 'spread', 'BullMQ');
  const oursB = find(results, 'burst', 'SchedulerX');
  const bullB = find(results, 'burst', 'BullMQ');
  const bg = find(results, 'spread', 'SchedulerX +bg');
  const targets: Target[] = [
    {
      label: '(a) SchedulerX p99 <= 20 ms',
      value: ours ? `${ms(ours.p99)} ms` : 'n/a',
      met: complete(ours) ? ours.p99 <= 20 : ours ? false : undefined,
    },
    {
      label: '(a) BullMQ p99 / SchedulerX p99 >= 4x',
      value: ours && bull ? `${ratio(bull.p99 / Math.max(ours.p99, 0.001))}x (${ms(bull.p99)} / ${ms(ours.p99)} ms)` : 'n/a',
      met: complete(ours) && complete(bull) ? bull.p99 >= 4 * ours.p99 : ours && bull ? false : undefined,
    },
    {
      label: '(b) SchedulerX drain / BullMQ drain >= 1.25x',
      value: oursB && bullB ? `${ratio(oursB.throughput / bullB.throughput)}x (${rate(oursB.throughput)} / ${rate(bullB.throughput)} jobs/s)` : 'n/a',
      met: complete(oursB) && complete(bullB) ? oursB.throughput >= 1.25 * bullB.throughput : oursB && bullB ? false : undefined,
    },
    {
      label: '(a)+background p99 within 20% of (a)',
      value: bg && ours ? `${ratio(bg.p99 / Math.max(ours.p99, 0.001))}x (${ms(bg.p99)} vs ${ms(ours.p99)} ms)` : 'n/a',
      // Symmetric: a background run much faster than the plain one means the pair is noise, not a pass.
      met: complete(bg) && complete(ours) ? Math.abs(bg.p99 / Math.max(ours.p99, 0.001) - 1) <= 0.2 : bg && ours ? false : undefined,
    },
  ];
  console.log('\nTargets (ratios from this run):');
  for (const t of targets) {
    const verdict = t.met === undefined ? 'not measured' : t.met ? 'met' : 'MISSED';
    console.log(`  ${t.label.padEnd(46)} ${t.value.padEnd(36)} ${verdict}`);
  }
  return targets.every((t) => t.met !== false);
}
