import type { DataSource } from 'typeorm';

export const BENCH_WORKSPACE = 'ws-bench';
export const BENCH_PLATFORM = 'benchplat';

/** Empties the scheduler's tables between runs (the database itself is fresh per bench run). */
export async function resetSchedulerTables(ds: DataSource): Promise<void> {
  await ds.query(
    `TRUNCATE scheduler.job_executions, scheduler.publish_jobs, scheduler.post_targets, scheduler.schedules, scheduler.posts`,
  );
}

/**
 * Inserts one post, its target and a one-off schedule, then `count` pending publish jobs with
 * INSERT … SELECT generate_series (in chunks of 100,000): job g is due at
 * firstDue + floor(g × spreadMs / (count − 1)) ms. Returns the post id (it tags this run's messages).
 */
export async function seedSchedulerJobs(
  ds: DataSource,
  opts: { count: number; firstDueMs: number; spreadMs: number; nowMs: number; label: string },
  chunk: (from: number, to: number, run: (from: number, to: number) => Promise<unknown>) => Promise<void>,
): Promise<string> {
  const now = new Date(opts.nowMs);
  const first = new Date(opts.firstDueMs);
  const [post] = (await ds.query(
    `INSERT INTO scheduler.posts (workspace_id, title, text, created_by, created_at, updated_at)
     VALUES ($1, $2, 'benchmark post', 'bench', $3, $3) RETURNING id`,
    [BENCH_WORKSPACE, opts.label, now],
  )) as { id: string }[];
  const [target] = (await ds.query(
    `INSERT INTO scheduler.post_targets (workspace_id, post_id, account_id, platform) VALUES ($1, $2, 'bench-acct', $3) RETURNING id`,
    [BENCH_WORKSPACE, post.id, BENCH_PLATFORM],
  )) as { id: string }[];
  const [schedule] = (await ds.query(
    `INSERT INTO scheduler.schedules (workspace_id, name, kind, recurrence, zone, start_at, action, post_id, catch_up, created_at, updated_at)
     VALUES ($1, $2, 'once', $3, 'UTC', $4, $5, $6, $7, $8, $8) RETURNING id`,
    [
      BENCH_WORKSPACE,
      opts.label,
      JSON.stringify({ kind: 'once', at: first.toISOString() }),
      first,
      JSON.stringify({ type: 'publish_post', postId: post.id }),
      post.id,
      JSON.stringify({ mode: 'publish_late', maxLateMinutes: 60 }),
      now,
    ],
  )) as { id: string }[];
  await chunk(0, opts.count, (from, to) =>
    ds.query(
      `INSERT INTO scheduler.publish_jobs (workspace_id, schedule_id, post_id, target_id, account_id, platform, kind,
         occurrence_key, zone, due_at, fire_at, state, created_at, updated_at)
       SELECT $1, $2::uuid, $3::uuid, $4::uuid, 'bench-acct', $5, 'publish', $2::text || ':' || g, 'UTC', x.d, x.d, 'pending', $6, $6
       FROM generate_series($7::int, $8::int - 1) g,
            LATERAL (SELECT $9::timestamptz + make_interval(secs => floor(g::float8 * $10::float8 / greatest($11::int - 1, 1)) / 1000)) AS x(d)`,
      [BENCH_WORKSPACE, schedule.id, post.id, target.id, BENCH_PLATFORM, now, from, to, first, opts.spreadMs, opts.count],
    ),
  );
  return post.id;
}
