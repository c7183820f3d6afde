import { Client } from 'pg';
import type { Arrival } from './receiver-protocol';

export interface JobRow {
  postId: string;
  state: string;
  attempt: number;
  reason: string | null;
  lastError: string | null;
  /** Every state the job went through, oldest first (job_executions). */
  path: string[];
}

const NON_TERMINAL = ['pending', 'armed', 'dispatched', 'publishing', 'retry_wait'];
export const isNonTerminal = (state: string) => NON_TERMINAL.includes(state);

/** The publish jobs of the run's posts with their state history, read from the scheduler's tables. */
export async function readJobs(databaseUrl: string, postIds: string[]): Promise<Map<string, JobRow>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const jobs = await client.query<{ post_id: string; id: string; state: string; attempt: number; reason: string | null; last_error: string | null }>(
      `SELECT post_id, id, state, attempt, reason, last_error FROM scheduler.publish_jobs WHERE post_id = ANY($1::uuid[])`,
      [postIds],
    );
    const history = await client.query<{ job_id: string; to_state: string }>(
      `SELECT job_id, to_state FROM scheduler.job_executions WHERE post_id = ANY($1::uuid[]) ORDER BY id`,
      [postIds],
    );
    const paths = new Map<string, string[]>();
    for (const h of history.rows) paths.set(h.job_id, [...(paths.get(h.job_id) ?? []), h.to_state]);
    const out = new Map<string, JobRow>();
    for (const j of jobs.rows) {
      out.set(j.post_id, { postId: j.post_id, state: j.state, attempt: j.attempt, reason: j.reason, lastError: j.last_error, path: paths.get(j.id) ?? [] });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Counts of the run's jobs by state (settling loop). */
export async function countStates(databaseUrl: string, postIds: string[]): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const r = await client.query<{ state: string; n: string }>(
      `SELECT state, count(*) AS n FROM scheduler.publish_jobs WHERE post_id = ANY($1::uuid[]) GROUP BY state`,
      [postIds],
    );
    return Object.fromEntries(r.rows.map((x) => [x.state, Number(x.n)]));
  } finally {
    await client.end();
  }
}

export async function readArrivals(controlUrl: string): Promise<Arrival[]> {
  const res = await fetch(controlUrl, { signal: AbortSignal.timeout(30_000) });
  return (await res.json()) as Arrival[];
}
