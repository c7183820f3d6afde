import type { PublishJobState } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { rule, UNFIRED, type JobTransition } from './job-lifecycle';
import { assertId, decodeCursor, encodeCursor, JOB_COLUMNS, rows, type JobRow, type Sql, type Tenant } from '../db/rows';

/**
 * Which jobs a transition touches; always inside one workspace. `oneOffsExcept`: only the post's jobs of
 * its non-task schedules other than that one (what a reschedule or a post-now replaces). `deletedWithPost`:
 * the post's jobs its deletion cancelled that are still due in the future (what a restore brings back).
 */
export type JobFilter =
  | { jobId: string; attempt?: number }
  | { postId: string; oneOffsExcept?: string; deletedWithPost?: boolean }
  | { scheduleId: string };

export interface TransitionPatch {
  /** A new reason; `null` clears the old one (a published job no longer shows why it was deferred); absent keeps it. */
  reason?: string | null;
  fireAt?: Date;
  platformPostId?: string;
  url?: string;
  lastError?: string;
  errorClass?: string;
  /** The publisher process that reported the attempt `publishing` (its liveness decides recovery). */
  publisherOwner?: string;
}

export interface TransitionOptions {
  /** A job in one of the rule's `stuckFrom` states qualifies once nothing moved it for this long. */
  stuckAfterMs?: number;
}

/** Without a configured threshold, in-flight jobs count as stuck after ten minutes without a change. */
export const DEFAULT_STUCK_AFTER_MS = 10 * 60_000;

/** A row a transition changed, with the state it left. */
export type TransitionedRow = JobRow & { old_state: PublishJobState };

export interface ExecutionRow {
  id: string;
  job_id: string;
  at: Date;
  from_state: string | null;
  to_state: string;
  attempt: number;
  detail: string | null;
}

/** The WHERE part for `f`; `p` adds a parameter and answers its placeholder. */
function filterSql(f: JobFilter, p: (v: unknown) => string, now: string): string {
  if ('jobId' in f) {
    if (f.attempt === undefined) return `id = ${p(f.jobId)}`;
    if (!Number.isInteger(f.attempt)) throw new Error('attempt must be an integer');
    return `id = ${p(f.jobId)} AND attempt = ${p(f.attempt)}`;
  }
  if ('postId' in f) {
    const parts = [`post_id = ${p(f.postId)}`];
    if (f.oneOffsExcept !== undefined) {
      parts.push(`schedule_id <> ${p(f.oneOffsExcept)}`, `schedule_id IN (SELECT id FROM scheduler.schedules WHERE workspace_id = $1 AND NOT is_task)`);
    }
    if (f.deletedWithPost) parts.push(`reason = 'post deleted'`, `fire_at > ${now}`);
    return parts.join(' AND ');
  }
  return `schedule_id = ${p(f.scheduleId)}`;
}

export interface ListJobsQuery {
  limit: number;
  cursor?: string;
  state?: PublishJobState;
  postId?: string;
  /** Inclusive lower bound on due time (ISO instant with offset). */
  from?: string;
  /** Inclusive upper bound on due time (ISO instant with offset). */
  to?: string;
}

/** Parses the optional due-time bounds; an unparseable bound or `from` after `to` is a coded 422. */
function dueRange(fromIso: string | undefined, toIso: string | undefined): { from: Date | null; to: Date | null } {
  const parse = (field: 'from' | 'to', iso: string | undefined): Date | null => {
    if (iso === undefined) return null;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) throw new AppError('invalid_range', `${field} is not a valid instant`, 422, { field });
    return d;
  };
  const from = parse('from', fromIso);
  const to = parse('to', toIso);
  if (from && to && from.getTime() > to.getTime()) {
    throw new AppError('invalid_range', '`from` must not be after `to`', 422, { from: from.toISOString(), to: to.toISOString() });
  }
  return { from, to };
}

/** Tenant-scoped job queries and user-driven transitions (each writes a history row and bumps the fence). */
/** In a stuck-from state and untouched since $12 (the stuck threshold before now). */
const STUCK_SQL = `updated_at < $12`;

export const jobRepository = {
  /**
   * Applies one lifecycle transition (JOB_LIFECYCLE[name]) to the jobs `f` selects that are in its from-states
   * (or its stuck-from states and stuck), with a history row each; bumps the fence and drops any lease.
   */
  async transition(db: Sql, t: Tenant, f: JobFilter, name: JobTransition, patch: TransitionPatch, nowMs: number, o: TransitionOptions = {}): Promise<TransitionedRow[]> {
    const r = rule(name);
    const params: unknown[] = [
      t.workspaceId, r.from, r.to, patch.reason ?? null, patch.fireAt ?? null, patch.platformPostId ?? null, patch.url ?? null,
      patch.lastError ?? null, new Date(nowMs), patch.errorClass ?? null, r.stuckFrom ?? [], new Date(nowMs - (o.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS)),
    ];
    const p = (v: unknown) => `$${params.push(v)}`;
    const publisherOwner = p(patch.publisherOwner ?? null);
    const clearReason = p(patch.reason === null);
    const where = filterSql(f, p, '$9');
    return rows<TransitionedRow>(
      db,
      `WITH o AS (
         SELECT id, state AS old_state FROM scheduler.publish_jobs
         WHERE workspace_id = $1 AND ${where}
           AND (state = ANY($2::text[]) OR (state = ANY($11::text[]) AND ${STUCK_SQL}))
         FOR UPDATE),
       f AS (
         UPDATE scheduler.publish_jobs j SET state = $3, reason = CASE WHEN ${clearReason}::boolean THEN NULL ELSE COALESCE($4, j.reason) END, fire_at = COALESCE($5, j.fire_at),
           due_at = CASE WHEN $5::timestamptz IS NOT NULL AND j.attempt = 0 THEN $5 ELSE j.due_at END,
           platform_post_id = COALESCE($6, j.platform_post_id), url = COALESCE($7, j.url), last_error = COALESCE($8, j.last_error), error_class = COALESCE($10, j.error_class),
           published_at = CASE WHEN $3 = 'published' THEN $9 ELSE j.published_at END,
           publisher_owner = COALESCE(${publisherOwner}::text, j.publisher_owner), alerted_at = NULL, lease_owner = NULL, lease_expires_at = NULL, fencing_token = j.fencing_token + 1, updated_at = $9
         FROM o WHERE j.id = o.id RETURNING j.*, o.old_state),
       h AS (
         INSERT INTO scheduler.job_executions (workspace_id, job_id, schedule_id, post_id, at, from_state, to_state, attempt, detail)
         SELECT workspace_id, id, schedule_id, post_id, $9, old_state, state, attempt, $4 FROM f)
       SELECT ${JOB_COLUMNS}, old_state FROM f ORDER BY due_at, id`,
      params,
    );
  },

  async byPost(db: Sql, t: Tenant, postId: string): Promise<JobRow[]> {
    return rows<JobRow>(db, `SELECT ${JOB_COLUMNS} FROM scheduler.publish_jobs WHERE workspace_id = $1 AND post_id = $2 ORDER BY due_at, id`, [t.workspaceId, postId]);
  },

  /** Ids of the post's not yet fired jobs of one-off (non-task) schedules for one target (or task job id). */
  async oneOffJobIds(db: Sql, t: Tenant, postId: string, target: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT j.id FROM scheduler.publish_jobs j JOIN scheduler.schedules s ON s.id = j.schedule_id AND NOT s.is_task
       WHERE j.workspace_id = $1 AND j.post_id = $2 AND (j.target_id = $3 OR j.id = $3) AND j.state = ANY($4::text[]) ORDER BY j.due_at, j.id`,
      [t.workspaceId, postId, target, UNFIRED],
    );
    return found.map((r) => r.id);
  },

  /** Whether a one-off (non-task) schedule already published the post to some target. */
  async publishedOnce(db: Sql, t: Tenant, postId: string): Promise<boolean> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT j.id FROM scheduler.publish_jobs j JOIN scheduler.schedules s ON s.id = j.schedule_id AND NOT s.is_task
       WHERE j.workspace_id = $1 AND j.post_id = $2 AND j.state = 'published' LIMIT 1`,
      [t.workspaceId, postId],
    );
    return found.length > 0;
  },

  async get(db: Sql, t: Tenant, jobId: string): Promise<JobRow | undefined> {
    const [row] = await rows<JobRow>(db, `SELECT ${JOB_COLUMNS} FROM scheduler.publish_jobs WHERE workspace_id = $1 AND id = $2`, [t.workspaceId, jobId]);
    return row;
  },

  /** Keyset page by (due_at, id); `from` / `to` bound due_at inclusively (a calendar's visible range). */
  async list(db: Sql, t: Tenant, q: ListJobsQuery): Promise<{ items: JobRow[]; nextCursor: string | null }> {
    const c = decodeCursor(q.cursor);
    if (q.postId) assertId(q.postId, 'post');
    const { from, to } = dueRange(q.from, q.to);
    const items = await rows<JobRow>(
      db,
      `SELECT ${JOB_COLUMNS} FROM scheduler.publish_jobs
       WHERE workspace_id = $1 AND ($2::text IS NULL OR state = $2) AND ($3::uuid IS NULL OR post_id = $3)
         AND ($4::timestamptz IS NULL OR (due_at, id) > ($4, $5::uuid))
         AND ($7::timestamptz IS NULL OR due_at >= $7) AND ($8::timestamptz IS NULL OR due_at <= $8)
       ORDER BY due_at, id LIMIT $6`,
      [t.workspaceId, q.state ?? null, q.postId ?? null, c?.at ?? null, c?.id ?? null, q.limit + 1, from, to],
    );
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > q.limit && last ? encodeCursor(last.due_at, last.id) : null };
  },

  async upcoming(db: Sql, t: Tenant, nowMs: number, hours: number, limit: number): Promise<JobRow[]> {
    return rows<JobRow>(
      db,
      `SELECT ${JOB_COLUMNS} FROM scheduler.publish_jobs
       WHERE workspace_id = $1 AND state IN ('pending', 'armed', 'retry_wait', 'paused') AND fire_at >= $2 AND fire_at <= $3
       ORDER BY fire_at, id LIMIT $4`,
      [t.workspaceId, new Date(nowMs), new Date(nowMs + hours * 3_600_000), limit],
    );
  },

  async history(db: Sql, t: Tenant, f: { postId: string } | { scheduleId: string }, limit: number, beforeId?: string): Promise<ExecutionRow[]> {
    const col = 'postId' in f ? 'post_id' : 'schedule_id';
    const value = 'postId' in f ? f.postId : f.scheduleId;
    return rows<ExecutionRow>(
      db,
      `SELECT e.id::text AS id, e.job_id, e.at, e.from_state, e.to_state, e.attempt, e.detail FROM scheduler.job_executions e
       WHERE e.workspace_id = $1 AND e.${col} = $2 AND ($3::bigint IS NULL OR e.id < $3) ORDER BY e.id DESC LIMIT $4`,
      [t.workspaceId, value, beforeId ?? null, limit],
    );
  },

  /**
   * Totals for the dashboard. `running` counts only in-flight jobs something is still moving on; one that
   * nothing changed since `stuckBefore` (the late-alert threshold) is `stuck`, never running.
   */
  async stats(db: Sql, t: Tenant, dayStart: Date, dayEnd: Date, stuckBefore: Date): Promise<Record<string, number>> {
    const [r] = await rows<Record<string, string>>(
      db,
      `SELECT count(*) AS total,
         count(*) FILTER (WHERE state IN ('pending', 'armed', 'retry_wait', 'paused')) AS pending,
         count(*) FILTER (WHERE state IN ('dispatched', 'publishing') AND updated_at >= $4) AS running,
         count(*) FILTER (WHERE state IN ('dispatched', 'publishing') AND updated_at < $4) AS stuck,
         count(*) FILTER (WHERE state = 'published') AS published,
         count(*) FILTER (WHERE state = 'failed') AS failed,
         count(*) FILTER (WHERE state = 'unknown') AS unknown,
         count(*) FILTER (WHERE state IN ('pending', 'armed', 'retry_wait') AND fire_at >= $2 AND fire_at < $3) AS posting_today,
         count(*) FILTER (WHERE state = 'published' AND published_at >= $2 AND published_at < $3) AS published_today
       FROM scheduler.publish_jobs WHERE workspace_id = $1`,
      [t.workspaceId, dayStart, dayEnd, stuckBefore],
    );
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
  },
};
