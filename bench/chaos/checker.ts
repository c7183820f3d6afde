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
  /** Fault → first on-time delivery of a post due after it, once every post due since then has arrived. */
  recoveryMs: number | null;
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

const ON_TIME_MS = 2_000;

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
    return { ...f, lateness: late((o) => !o.busy && o.dueMs >= f.at && o.dueMs < until), recoveryMs: recovery(byDue, f.at) };
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

/** Walks posts due from 2 s before the fault on, in due order, until one arrives on time after all before it. */
function recovery(byDue: PostOutcome[], faultAt: number): number | null {
  let lastArrival = faultAt;
  for (const o of byDue) {
    if (o.dueMs < faultAt - ON_TIME_MS) continue;
    if (o.latenessMs === undefined) {
      if (o.verdict === 'unknown_open') continue; // shown to the user; not a delivery to wait for
      return null;
    }
    const arrival = o.dueMs + o.latenessMs;
    if (o.dueMs >= faultAt && o.latenessMs <= ON_TIME_MS && arrival >= lastArrival) return arrival - faultAt;
    lastArrival = Math.max(lastArrival, arrival);
  }
  return null;
}
