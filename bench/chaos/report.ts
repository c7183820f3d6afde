import type { CheckResult, Percentiles } from './checker';

const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
const pct = (p: Percentiles) => `p50 ${s(p.p50)}  p99 ${s(p.p99)}  max ${s(p.max)}  (n=${p.count})`;

/** The checker's figures as the text a person reads at the end of a run. */
export function formatReport(title: string, r: CheckResult, t0: number): string {
  const c = r.counts;
  const lines = [
    `== ${title}: ${r.passed ? 'PASSED' : 'FAILED'} ==`,
    `posts ${r.outcomes.length}: delivered once ${c.delivered_once} | duplicated ${c.duplicated} | lost ${c.lost} | ` +
      `unknown resolved by reconcile ${c.unknown_resolved} | unknown still open ${c.unknown_open} | stuck ${c.stuck} | delivered but not recorded ${c.delivered_not_recorded}`,
    `lateness all:            ${pct(r.lateness.all)}`,
    `lateness (busy excluded): ${pct(r.lateness.normal)}`,
    `lateness busy account:    ${pct(r.lateness.busy)}`,
    'faults:',
  ];
  for (const f of r.faults) {
    const what = f.kind === 'kill' ? `kill -9 ${f.target} (down ${s(f.param)})` : f.kind === 'zombie' ? `SIGSTOP ${f.target} ${s(f.param)}` : `clock ${f.param > 0 ? '+' : '-'}1 h on ${f.target}`;
    const back = f.undoneAt ? `undone +${s(f.undoneAt - f.at)}` : 'not undone';
    lines.push(`  t=${s(f.at - t0).padStart(9)} ${what.padEnd(36)} ${back.padEnd(18)} recovery ${f.recoveryMs === undefined ? 'n/a (nothing due after it)' : f.recoveryMs === null ? 'never' : s(f.recoveryMs)}  lateness after: ${pct(f.lateness)}${f.error ? `  ERROR ${f.error}` : ''}`);
  }
  for (const [verdict, ex] of Object.entries(r.examples)) lines.push(`  e.g. ${verdict}: ${ex.join(' ; ')}`);
  return lines.join('\n');
}
