import { isNonTerminal, type JobRow } from './collect';
import type { FaultRecord } from './faults';
import type { Arrival } from './receiver-protocol';

export interface SeededPost {
  n: number;
  postId: string;
  dueMs: number;
  account: string;
  busy: boolean;
}

export type Verdict =
  | 'delivered_once'
  | 'duplicated'
  | 'lost'
  | 'unknown_resolved'
  | 'unknown_open'
  | 'stuck'
  | 'delivered_not_recorded';

export interface PostOutcome {
  n: number;
  verdict: Verdict;
  state: string;
  deliveries: number;
  dueMs: number;
  /** First accepted arrival − due (ms); undefined when never delivered. */
  latenessMs?: number;
  busy: boolean;
  account: string;
}

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface FaultFigures extends FaultRecord {
  lateness: Percentiles;
  /** Fault → every post due from it to its undoing has arrived (see recovery()). */
  /** undefined: no post was due from the fault on (nothing to recover). */
  recoveryMs: number | null | undefined;
}

export interface CheckResult {
  counts: Record<Verdict, number>;
  lateness: { all: Percentiles; normal: Percentiles; busy: Percentiles };
  faults: FaultFigures[];
  outcomes: PostOutcome[];
  /** Examples per bad verdict (post number, state, reason), for FINDINGS. */
  examples: Record<string, string[]>;
  passed: boolean;
}

export function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : Number.NaN);
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s.length ? s[s.length - 1] : Number.NaN };
}

function verdictOf(job: JobRow | undefined, deliveries: number): Verdict {
  if (deliveries > 1) return 'duplicated';
  const state = job?.state ?? 'missing';
  if (isNonTerminal(state)) return deliveries ? 'delivered_not_recorded' : 'stuck';
  if (state === 'unknown') return 'unknown_open';
  if (state === 'published') return deliveries ? (job && interrupted(job.path) ? 'unknown_resolved' : 'delivered_once') : 'lost';
  return deliveries ? 'delivered_not_recorded' : 'lost';
}

/**
 * The job's outcome was in doubt and got settled: it went through `unknown`, or a `publishing` was taken over
 * (dispatched again for the plugin's reconcile) instead of ending in an outcome or a retry wait.
 */
function interrupted(path: string[]): boolean {
  return path.some((s, i) => s === 'unknown' || (s === 'publishing' && (path[i + 1] === 'dispatched' || path[i + 1] === 'publishing')));
}

/** Joins what the receivers got with the job states: one verdict per post, lateness, per-fault figures. */
export function check(posts: SeededPost[], jobs: Map<string, JobRow>, arrivals: Arrival[], faults: FaultRecord[]): CheckResult {
  const accepted = new Map<number, Arrival[]>();
  for (const a of arrivals) if (a.status >= 200 && a.status < 300) accepted.set(a.n, [...(accepted.get(a.n) ?? []), a]);
  const counts = { delivered_once: 0, duplicated: 0, lost: 0, unknown_resolved: 0, unknown_open: 0, stuck: 0, delivered_not_recorded: 0 } as Record<Verdict, number>;
  const examples: Record<string, string[]> = {};
  const outcomes: PostOutcome[] = posts.map((p) => {
    const got = (accepted.get(p.n) ?? []).sort((a, b) => a.at - b.at);
    const job = jobs.get(p.postId);
    const verdict = verdictOf(job, got.length);
    counts[verdict]++;
    if (verdict !== 'delivered_once' && (examples[verdict]?.length ?? 0) < 5) {
      (examples[verdict] ??= []).push(`#${p.n} ${p.account} state=${job?.state ?? 'missing'} deliveries=${got.length} path=${job?.path.join('>') ?? ''} reason=${job?.reason ?? job?.lastError ?? ''}`);
    }
    return { n: p.n, verdict, state: job?.state ?? 'missing', deliveries: got.length, dueMs: p.dueMs, latenessMs: got[0] ? got[0].at - p.dueMs : undefined, busy: p.busy, account: p.account };
  });
  const late = (f: (o: PostOutcome) => boolean) => percentiles(outcomes.filter((o) => o.latenessMs !== undefined && f(o)).map((o) => o.latenessMs as number));
  const byDue = outcomes.filter((o) => !o.busy).sort((a, b) => a.dueMs - b.dueMs);
  const figures = faults.map((f, i) => {
    const until = faults[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    return { ...f, lateness: late((o) => !o.busy && o.dueMs >= f.at && o.dueMs < until), recoveryMs: recovery(byDue, f) };
  });
  return {
    counts,
    lateness: { all: late(() => true), normal: late((o) => !o.busy), busy: late((o) => o.busy) },
    faults: figures,
    outcomes,
    examples,
    passed: counts.lost === 0 && counts.duplicated === 0 && counts.stuck === 0 && counts.delivered_not_recorded === 0,
  };
}

/**
 * Recovery of one fault: from the fault until every post due between 2 s before it and its undoing (restart
 * ready, SIGCONT, clock back) has arrived — or, if none was due then, until the first post due after it arrived.
 * undefined when no post was due from the fault on; null when one of them never arrived (lost or stuck; an open `unknown` is shown to the user and not waited for).
 */
function recovery(byDue: PostOutcome[], fault: FaultRecord): number | null | undefined {
  const end = fault.undoneAt ?? fault.at;
  let last: number | undefined;
  for (const o of byDue) {
    if (o.dueMs < fault.at - 2_000) continue;
    if (o.dueMs > end && last !== undefined) break;
    if (o.latenessMs === undefined) {
      if (o.verdict === 'unknown_open') continue;
      return null;
    }
    last = Math.max(last ?? 0, o.dueMs + o.latenessMs);
    if (o.dueMs > end) break;
  }
  return last === undefined ? undefined : Math.max(0, last - fault.at);
}
