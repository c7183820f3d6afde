import type { PublishJobState } from '@sx/contracts';
import { Recurrence } from './recurrence';
import { toCron } from '../util/recurrence-preview';

/** The scheduler's wire shapes (libs/contracts scheduler.commands.ts), mirrored as types only. */
export interface JobView {
  id: string;
  postId: string | null;
  scheduleId: string;
  accountId: string | null;
  platform: string;
  kind: 'publish' | 'pipeline' | 'webhook';
  state: PublishJobState;
  dueAt: string;
  zone: string;
  attempt: number;
  lastError: string | null;
  reason: string | null;
  platformPostId: string | null;
  url: string | null;
}

export interface PostView {
  id: string;
  title?: string;
  labels?: string[];
  text: string;
  hashtags: string[];
  mediaIds: string[];
  overrides: Record<string, Record<string, unknown>>;
  targets: { id: string; accountId: string; platform: string }[];
  createdAt: string;
  deletedAt: string | null;
}

export type WireRecurrence =
  | { kind: 'once'; at: string }
  | { kind: 'rrule'; rule: string; start: string }
  | { kind: 'cron'; expression: string; start?: string };

/** Our editor's recurrence → the scheduler's (daily/weekly/monthly become cron in the chosen zone). */
export function toWireRecurrence(r: Recurrence, startAt: string): WireRecurrence {
  const cron = toCron(r);
  return cron === null ? { kind: 'once', at: startAt } : { kind: 'cron', expression: cron, start: startAt };
}

/** The scheduler's recurrence → our editor's (cron patterns we can read back become daily/weekly/monthly). */
export function fromWireRecurrence(w: WireRecurrence): Recurrence {
  if (w.kind === 'once') return { type: 'once' };
  if (w.kind === 'rrule') return { type: 'custom', cron: w.rule };
  const m = /^(\d{1,2}) (\d{1,2}) (\*|\d{1,2}) \* (\*|[\d,]+)$/.exec(w.expression.trim());
  if (!m) return { type: 'custom', cron: w.expression };
  const time = `${m[2].padStart(2, '0')}:${m[1].padStart(2, '0')}`;
  if (m[3] === '*' && m[4] === '*') return { type: 'daily', time };
  if (m[3] === '*') return { type: 'weekly', time, weekdays: m[4].split(',').map(Number) };
  if (m[4] === '*') return { type: 'monthly', time, dayOfMonth: Number(m[3]) };
  return { type: 'custom', cron: w.expression };
}

const FINISHED: PublishJobState[] = ['published', 'failed', 'cancelled', 'unknown'];

/** Group a post's jobs (one per account per occurrence) into what the schedule screens show. */
export function jobsToTargets(jobs: JobView[]) {
  return jobs.map((j) => ({
    jobId: j.id,
    accountId: j.accountId ?? '',
    platform: j.platform,
    state: j.state,
    dueAt: j.dueAt,
    attempt: j.attempt,
    reason: j.lastError ?? j.reason,
    url: j.url,
    platformPostId: j.platformPostId,
  }));
}

/**
 * Per account, the job that speaks for it now: the next unfinished one, else the latest. A job a
 * reschedule replaced (cancelled) or a publish a "post again" followed does not (the server's rule too).
 */
export function currentJobs(jobs: JobView[]): JobView[] {
  const byTarget = new Map<string, JobView>();
  const rank = (j: JobView) => (FINISHED.includes(j.state) ? 1 : 0);
  for (const j of jobs) {
    const key = j.accountId ?? j.platform;
    const cur = byTarget.get(key);
    if (!cur) byTarget.set(key, j);
    else if (rank(j) !== rank(cur)) {
      if (rank(j) < rank(cur)) byTarget.set(key, j);
    } else if (rank(j) === 0 ? j.dueAt < cur.dueAt : j.dueAt > cur.dueAt) byTarget.set(key, j);
  }
  return [...byTarget.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** The instant a post card shows: its next unfinished job, else its latest one. */
export function headlineDue(jobs: JobView[]): JobView | undefined {
  const open = jobs.filter((j) => !FINISHED.includes(j.state)).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return open[0] ?? [...jobs].sort((a, b) => b.dueAt.localeCompare(a.dueAt))[0];
}
