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
    nextRunAt: s.next_run_at ? s.next_run_at.toISOString() : null,
    lastRunAt: runs.lastRunAt ? runs.lastRunAt.toISOString() : null,
    runCount: runs.runCount,
    createdAt: s.created_at.toISOString(),
  };
}

/** Tenant-scoped schedule queries: the workspace is always the first parameter. */
export const scheduleRepository = {
  /** Last fire time and number of fired occurrences per schedule (one grouped query). */
  async runStats(db: Sql, t: Tenant, ids: string[]): Promise<Map<string, RunStats>> {
    if (ids.length === 0) return new Map();
    const found = await rows<{ schedule_id: string; last_run_at: Date | null; run_count: string }>(
      db,
      `SELECT schedule_id, max(fired_at) AS last_run_at, count(fired_at) AS run_count FROM scheduler.publish_jobs
        WHERE workspace_id = $1 AND schedule_id = ANY($2::uuid[]) AND fired_at IS NOT NULL GROUP BY schedule_id`,
      [t.workspaceId, ids],
    );
    return new Map(found.map((r) => [r.schedule_id, { lastRunAt: r.last_run_at, runCount: Number(r.run_count) }]));
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

  async listTasks(db: Sql, t: Tenant, limit: number, cursor?: string): Promise<{ items: ScheduleRow[]; nextCursor: string | null }> {
    const c = decodeCursor(cursor);
    const items = await rows<ScheduleRow>(
      db,
      `SELECT * FROM scheduler.schedules WHERE workspace_id = $1 AND is_task AND deleted_at IS NULL
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [t.workspaceId, c?.at ?? null, c?.id ?? null, limit + 1],
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
