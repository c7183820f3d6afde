import { AppError } from '@sx/service-kit';
import { compileRecurrence } from '../time/recurrence';
import { assertId, rows, JOB_COLUMNS, type JobKind, type JobRow, type Sql } from '../db/rows';
import type { ScheduleRow } from './schedule.types';

/** Recurring schedules keep jobs materialised this far ahead; the dispatcher only ever reads jobs. */
export const MATERIALIZE_WINDOW_MS = 48 * 3_600_000;
const MAX_PER_PASS = 500;

export interface JobTarget {
  targetId: string | null;
  accountId: string | null;
  platform: string;
  kind: JobKind;
}

/** What each occurrence of a schedule fans out to. */
export async function targetsOf(db: Sql, s: Pick<ScheduleRow, 'workspace_id' | 'action'>): Promise<JobTarget[]> {
  const a = s.action;
  if (a.type === 'run_pipeline') return [{ targetId: null, accountId: null, platform: 'pipeline', kind: 'pipeline' }];
  if (a.type === 'call_webhook') return [{ targetId: null, accountId: a.accountId, platform: 'webhook', kind: 'webhook' }];
  assertId(a.postId, 'post');
  const targets = await rows<{ id: string; account_id: string; platform: string }>(
    db,
    `SELECT t.id, t.account_id, t.platform FROM scheduler.post_targets t JOIN scheduler.posts p ON p.id = t.post_id
     WHERE t.workspace_id = $1 AND t.post_id = $2 AND p.deleted_at IS NULL ORDER BY t.account_id`,
    [s.workspace_id, a.postId],
  );
  if (targets.length === 0) throw new AppError('no_targets', 'The post has no target accounts (or was deleted)', 422);
  return targets.map((t) => ({ targetId: t.id, accountId: t.account_id, platform: t.platform, kind: 'publish' as const }));
}

/** Inserts one job per occurrence × target; re-running is a no-op thanks to occurrence_key. */
export function insertJobs(db: Sql, s: ScheduleRow, occurrences: Date[], targets: JobTarget[], nowMs: number): Promise<JobRow[]> {
  return insertJobPairs(db, s, occurrences.flatMap((at) => targets.map((target) => ({ at, target }))), nowMs);
}

/**
 * Inserts jobs for explicit (instant, target) pairs (next-free-slot scheduling gives each target its own time).
 * `run`: a label for jobs outside the recurrence ("run-now"), so they never collide with an occurrence's key.
 */
export async function insertJobPairs(db: Sql, s: ScheduleRow, pairs: { at: Date; target: JobTarget }[], nowMs: number, run?: string): Promise<JobRow[]> {
  const cols: unknown[][] = [[], [], [], [], [], [], []];
  for (const { at, target: t } of pairs) {
    {
      cols[0].push(t.targetId);
      cols[1].push(t.accountId);
      cols[2].push(t.platform);
      cols[3].push(t.kind);
      cols[4].push(`${s.id}:${run ? `${run}:` : ''}${t.targetId ?? t.kind}:${at.getTime()}`);
      cols[5].push(at);
      cols[6].push(s.action.type === 'publish_post' ? s.action.postId : null);
    }
  }
  if (cols[0].length === 0) return [];
  const now = new Date(nowMs);
  return rows<JobRow>(
    db,
    `INSERT INTO scheduler.publish_jobs (workspace_id, schedule_id, target_id, account_id, platform, kind, occurrence_key, due_at, fire_at, post_id, zone, state, created_at, updated_at)
     SELECT $1, $2, x.target_id, x.account_id, x.platform, x.kind, x.okey, x.due, x.due, x.post_id, $3, $4, $5, $5
     FROM unnest($6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::uuid[])
       AS x(target_id, account_id, platform, kind, okey, due, post_id)
     ON CONFLICT (occurrence_key) DO NOTHING
     RETURNING ${JOB_COLUMNS}`,
    [s.workspace_id, s.id, s.zone, s.paused ? 'paused' : 'pending', now, ...cols],
  );
}

/**
 * Creates the jobs of a schedule's occurrences from where it stopped up to now + window, and records
 * how far it got. Occurrences missed while nothing ran are still created: the dispatcher's catch-up
 * policy then publishes them late or skips them with a visible reason.
 */
export async function materializeSchedule(db: Sql, s: ScheduleRow, nowMs: number): Promise<JobRow[]> {
  const rec = compileRecurrence(s.recurrence, s.zone, s.created_at);
  const horizon = new Date(nowMs + MATERIALIZE_WINDOW_MS);
  const after = s.materialized_until ?? new Date(Math.max(s.start_at.getTime(), s.created_at.getTime()) - 1);
  const occurrences = rec.occurrencesAfter(after, MAX_PER_PASS, horizon);
  const jobs = await insertJobs(db, s, occurrences, await targetsOf(db, s), nowMs);
  const reachedLimit = occurrences.length === MAX_PER_PASS;
  const until = reachedLimit ? occurrences[occurrences.length - 1] : horizon;
  const next = rec.occurrencesAfter(new Date(nowMs), 1)[0] ?? null;
  await db.query(`UPDATE scheduler.schedules SET materialized_until = $3, next_run_at = $4 WHERE workspace_id = $1 AND id = $2`, [
    s.workspace_id,
    s.id,
    until,
    next,
  ]);
  return jobs;
}

/** One pass over recurring schedules that need more jobs (replicas share the work with SKIP LOCKED). */
export async function materializeDue(db: { transaction<T>(fn: (m: Sql) => Promise<T>): Promise<T> }, nowMs: number): Promise<number> {
  return db.transaction(async (m) => {
    const due = await rows<ScheduleRow>(
      m,
      `SELECT * FROM scheduler.schedules
       WHERE deleted_at IS NULL AND NOT paused AND kind <> 'once' AND (materialized_until IS NULL OR materialized_until < $1)
       ORDER BY materialized_until NULLS FIRST LIMIT 50 FOR UPDATE SKIP LOCKED`,
      [new Date(nowMs + MATERIALIZE_WINDOW_MS / 2)],
    );
    let created = 0;
    for (const s of due) {
      try {
        created += (await materializeSchedule(m, s, nowMs)).length;
      } catch (e) {
        // A schedule whose post lost its targets stops producing jobs; it stays listed with no next run.
        if (!(e instanceof AppError)) throw e;
        await m.query(`UPDATE scheduler.schedules SET materialized_until = $2, next_run_at = NULL WHERE id = $1`, [s.id, new Date(nowMs + MATERIALIZE_WINDOW_MS)]);
      }
    }
    return created;
  });
}
