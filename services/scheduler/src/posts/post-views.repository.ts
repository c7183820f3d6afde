import { CALENDAR_MAX_CHIPS, CALENDAR_MAX_RANGE_DAYS, type CalendarChip, type PostFeedStatus } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { decodeCursor, encodeCursor, JOB_COLUMNS, rows, type JobRow, type Sql, type Tenant } from '../db/rows';
import { SELECT_POST, type PostRow } from './posts.repository';

const FINISHED = `('published', 'failed', 'cancelled', 'unknown')`;

/** One status for a set of jobs: the most attention-worthy state wins (the dashboard's order). */
function statusOf(state: string): string {
  return `CASE
    WHEN bool_or(${state} = 'unknown') THEN 'unknown'
    WHEN bool_or(${state} = 'failed') THEN 'failed'
    WHEN bool_or(${state} IN ('dispatched', 'publishing')) THEN 'publishing'
    WHEN bool_or(${state} = 'retry_wait') THEN 'retry_wait'
    WHEN bool_or(${state} IN ('pending', 'armed')) THEN 'pending'
    WHEN bool_or(${state} = 'paused') THEN 'paused'
    WHEN bool_and(${state} = 'cancelled') THEN 'cancelled'
    ELSE 'published' END`;
}

/**
 * Per target of post `p`, the job that speaks for it now: the next unfinished one, else the latest.
 * A job a reschedule replaced (cancelled) or an earlier publish a "post again" followed is not it.
 * Run per post through the (workspace_id, post_id) index, so the plan does not hinge on table
 * statistics (a join of two 5,000-row sets estimated at one row each took minutes right after an import).
 */
const CURRENT_JOBS_OF_P = `
  SELECT DISTINCT ON (COALESCE(j.target_id::text, j.account_id, j.platform)) j.id, j.state, j.due_at
  FROM scheduler.publish_jobs j
  WHERE j.workspace_id = $1 AND j.post_id = p.id AND j.kind = 'publish'
  ORDER BY COALESCE(j.target_id::text, j.account_id, j.platform),
    j.state IN ${FINISHED}, CASE WHEN j.state NOT IN ${FINISHED} THEN j.due_at END ASC, j.due_at DESC, j.id DESC`;

export interface FeedQuery {
  limit: number;
  cursor?: string;
  status?: PostFeedStatus;
  platform?: string;
  q?: string;
  includeDeleted: boolean;
}

export interface FeedRow {
  post: PostRow;
  status: PostFeedStatus;
  dueAt: Date;
  jobs: JobRow[];
}

const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Read models of the schedule screens: a keyset post feed and a calendar range (tenant-scoped). */
export const postViewsRepository = {
  async feed(db: Sql, t: Tenant, q: FeedQuery): Promise<{ items: FeedRow[]; nextCursor: string | null; total: number }> {
    const c = decodeCursor(q.cursor);
    const needle = q.q?.trim() ? likePattern(q.q.trim()) : null;
    const page = await rows<{ id: string; due: Date; status: PostFeedStatus; job_ids: string[] | null; total: string }>(
      db,
      `WITH f AS (
         SELECT p.id, COALESCE(a.due, p.created_at) AS due, a.job_ids,
           CASE WHEN p.deleted_at IS NOT NULL THEN 'cancelled' ELSE COALESCE(a.status, 'draft') END AS status
         FROM scheduler.posts p
         LEFT JOIN LATERAL (
           SELECT COALESCE(min(c.due_at) FILTER (WHERE c.state NOT IN ${FINISHED}), max(c.due_at)) AS due,
             ${statusOf('c.state')} AS status, array_agg(c.id::text ORDER BY c.due_at, c.id) AS job_ids
           FROM (${CURRENT_JOBS_OF_P}) c HAVING count(*) > 0) a ON true
         WHERE p.workspace_id = $1 AND ($2 OR p.deleted_at IS NULL)
           AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM scheduler.post_targets pt WHERE pt.post_id = p.id AND pt.platform = $3))
           AND ($4::text IS NULL OR p.text ILIKE $4 OR COALESCE(p.title, '') ILIKE $4 OR p.hashtags::text ILIKE $4)),
       counted AS (SELECT f.*, count(*) OVER () AS total FROM f WHERE ($5::text IS NULL OR f.status = $5))
       SELECT id, due, status, job_ids, total FROM counted
       WHERE ($6::timestamptz IS NULL OR (due, id) > ($6, $7::uuid))
       ORDER BY due, id LIMIT $8`,
      [t.workspaceId, q.includeDeleted, q.platform ?? null, needle, q.status ?? null, c?.at ?? null, c?.id ?? null, q.limit + 1],
    );
    const shown = page.slice(0, q.limit);
    const [posts, jobs] = await Promise.all([
      shown.length ? rows<PostRow>(db, `${SELECT_POST} WHERE p.workspace_id = $1 AND p.id = ANY($2::uuid[])`, [t.workspaceId, shown.map((r) => r.id)]) : [],
      shown.length
        ? rows<JobRow>(db, `SELECT ${JOB_COLUMNS} FROM scheduler.publish_jobs WHERE workspace_id = $1 AND id = ANY($2::uuid[]) ORDER BY due_at, id`, [
            t.workspaceId,
            shown.flatMap((r) => r.job_ids ?? []),
          ])
        : [],
    ]);
    const postById = new Map(posts.map((p) => [p.id, p]));
    const items: FeedRow[] = [];
    for (const r of shown) {
      const post = postById.get(r.id);
      if (!post) continue;
      const ids = new Set(r.job_ids ?? []);
      items.push({ post, status: r.status, dueAt: r.due, jobs: jobs.filter((j) => ids.has(j.id)) });
    }
    const last = shown[shown.length - 1];
    return {
      items,
      nextCursor: page.length > q.limit && last ? encodeCursor(last.due, last.id) : null,
      total: page.length ? Number(page[0].total) : 0,
    };
  },

  async calendar(db: Sql, t: Tenant, fromIso: string, toIso: string): Promise<{ items: CalendarChip[]; truncated: boolean }> {
    const from = new Date(fromIso);
    const to = new Date(toIso);
    if (from.getTime() > to.getTime()) throw new AppError('invalid_range', '`from` must not be after `to`', 422, { from: fromIso, to: toIso });
    if (to.getTime() - from.getTime() > CALENDAR_MAX_RANGE_DAYS * 86_400_000) {
      throw new AppError('range_too_large', `A calendar range spans at most ${CALENDAR_MAX_RANGE_DAYS} days`, 422, { maxDays: CALENDAR_MAX_RANGE_DAYS });
    }
    const found = await rows<{ post_id: string; due_at: Date; zone: string; status: PostFeedStatus; label: string; platforms: string[] }>(
      db,
      `WITH g AS (
         SELECT j.post_id, j.due_at, min(j.zone) AS zone, ${statusOf('j.state')} AS status, array_agg(DISTINCT j.platform) AS platforms
         FROM scheduler.publish_jobs j
         WHERE j.workspace_id = $1 AND j.post_id IS NOT NULL AND j.kind = 'publish' AND j.due_at >= $2 AND j.due_at <= $3
         GROUP BY j.post_id, j.due_at)
       SELECT g.post_id, g.due_at, g.zone, g.status, g.platforms, COALESCE(NULLIF(p.title, ''), left(p.text, 80)) AS label
       FROM g JOIN scheduler.posts p ON p.id = g.post_id AND p.workspace_id = $1 AND p.deleted_at IS NULL
       WHERE g.status <> 'cancelled'
         OR NOT EXISTS (SELECT 1 FROM scheduler.publish_jobs o WHERE o.workspace_id = $1 AND o.post_id = g.post_id AND o.state <> 'cancelled')
       ORDER BY g.due_at, g.post_id LIMIT $4`,
      [t.workspaceId, from, to, CALENDAR_MAX_CHIPS + 1],
    );
    const items = found.slice(0, CALENDAR_MAX_CHIPS).map((r) => ({
      postId: r.post_id,
      dueAt: r.due_at.toISOString(),
      zone: r.zone,
      status: r.status,
      label: r.label,
      platforms: r.platforms,
    }));
    return { items, truncated: found.length > CALENDAR_MAX_CHIPS };
  },
};
