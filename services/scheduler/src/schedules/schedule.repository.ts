import { AppError } from '@sx/service-kit';
import type { ScheduleView } from '@sx/contracts';
import { assertId, decodeCursor, encodeCursor, rows, type Sql, type Tenant } from '../db/rows';
import type { CatchUp, ScheduleAction, ScheduleRow, StoredRecurrence } from './schedule.types';

export interface NewSchedule {
  name: string;
  recurrence: StoredRecurrence;
  zone: string;
  startAt: Date;
  untilAt?: Date;
  action: ScheduleAction;
  catchUp: CatchUp;
  paused: boolean;
  isTask: boolean;
}

export interface RunStats {
  lastRunAt: Date | null;
  runCount: number;
  /** The earliest unfired job: what actually runs next (the stored next_run_at is only refreshed by materialising). */
  nextDueAt?: Date | null;
}

export function toScheduleView(s: ScheduleRow, runs: RunStats = { lastRunAt: null, runCount: 0 }): ScheduleView {
  return {
    id: s.id,
    name: s.name,
    recurrence: s.recurrence,
    zone: s.zone,
    action: s.action,
    catchUp: s.catch_up,
    paused: s.paused,
    nextRunAt: nextRunOf(s, runs),
    lastRunAt: runs.lastRunAt ? runs.lastRunAt.toISOString() : null,
    runCount: runs.runCount,
    createdAt: s.created_at.toISOString(),
  };
}

/** The next run: the earliest unfired job, else the stored next occurrence when it is still ahead of the last run. */
function nextRunOf(s: ScheduleRow, runs: RunStats): string | null {
  if (s.paused) return null;
  if (runs.nextDueAt) return runs.nextDueAt.toISOString();
  if (!s.next_run_at) return null;
  return runs.lastRunAt && s.next_run_at <= runs.lastRunAt ? null : s.next_run_at.toISOString();
}

/** Tenant-scoped schedule queries: the workspace is always the first parameter. */
export const scheduleRepository = {
  /** Last fire time and number of fired occurrences per schedule (one grouped query). */
  async runStats(db: Sql, t: Tenant, ids: string[]): Promise<Map<string, RunStats>> {
    if (ids.length === 0) return new Map();
    // Run count and last run count runs (an occurrence, or an "execute now"), not one per target.
    const found = await rows<{ schedule_id: string; last_run_at: Date | null; run_count: string; next_due_at: Date | null }>(
      db,
      `SELECT schedule_id, max(fired_at) AS last_run_at, count(DISTINCT (due_at, occurrence_key LIKE '%:run-now:%')) FILTER (WHERE fired_at IS NOT NULL) AS run_count,
              min(due_at) FILTER (WHERE state IN ('pending', 'armed', 'retry_wait')) AS next_due_at
         FROM scheduler.publish_jobs WHERE workspace_id = $1 AND schedule_id = ANY($2::uuid[]) GROUP BY schedule_id`,
      [t.workspaceId, ids],
    );
    return new Map(found.map((r) => [r.schedule_id, { lastRunAt: r.last_run_at, runCount: Number(r.run_count), nextDueAt: r.next_due_at }]));
  },

  async insert(db: Sql, t: Tenant, s: NewSchedule, nowMs: number): Promise<ScheduleRow> {
    const now = new Date(nowMs);
    const [row] = await rows<ScheduleRow>(
      db,
      `INSERT INTO scheduler.schedules (workspace_id, name, kind, recurrence, zone, start_at, until_at, action, post_id, catch_up, paused, is_task, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *`,
      [
        t.workspaceId,
        s.name,
        s.recurrence.kind,
        JSON.stringify(s.recurrence),
        s.zone,
        s.startAt,
        s.untilAt ?? null,
        JSON.stringify(s.action),
        s.action.type === 'publish_post' ? s.action.postId : null,
        JSON.stringify(s.catchUp),
        s.paused,
        s.isTask,
        now,
      ],
    );
    return row;
  },

  async get(db: Sql, t: Tenant, id: string, forUpdate = false): Promise<ScheduleRow> {
    assertId(id, 'schedule');
    const [row] = await rows<ScheduleRow>(
      db,
      `SELECT * FROM scheduler.schedules WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL ${forUpdate ? 'FOR UPDATE' : ''}`,
      [t.workspaceId, id],
    );
    if (!row) throw AppError.notFound('schedule', id);
    return row;
  },

  /** `paused` filters by state; `q` matches the name, case-insensitively, as plain text (no wildcards). */
  async listTasks(db: Sql, t: Tenant, limit: number, cursor?: string, filter: { paused?: boolean; q?: string } = {}): Promise<{ items: ScheduleRow[]; nextCursor: string | null }> {
    const c = decodeCursor(cursor);
    const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
    const items = await rows<ScheduleRow>(
      db,
      `SELECT * FROM scheduler.schedules WHERE workspace_id = $1 AND is_task AND deleted_at IS NULL
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
         AND ($5::boolean IS NULL OR paused = $5) AND ($6::text IS NULL OR name ILIKE $6)
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [t.workspaceId, c?.at ?? null, c?.id ?? null, limit + 1, filter.paused ?? null, like],
    );
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  },

  async setPaused(db: Sql, t: Tenant, id: string, paused: boolean, nowMs: number): Promise<void> {
    await db.query(`UPDATE scheduler.schedules SET paused = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2`, [t.workspaceId, id, paused, new Date(nowMs)]);
  },

  async rename(db: Sql, t: Tenant, id: string, name: string, nowMs: number): Promise<void> {
    await db.query(`UPDATE scheduler.schedules SET name = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2`, [t.workspaceId, id, name, new Date(nowMs)]);
  },

  async softDelete(db: Sql, t: Tenant, id: string, nowMs: number): Promise<void> {
    await db.query(`UPDATE scheduler.schedules SET deleted_at = $3, updated_at = $3 WHERE workspace_id = $1 AND id = $2`, [t.workspaceId, id, new Date(nowMs)]);
  },
};
