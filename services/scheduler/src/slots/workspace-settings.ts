import { rows, type Sql, type Tenant } from '../db/rows';

export interface WorkspaceSettings {
  /** Seed 001's `default_post_time_offset` (1 hour there): a new post's time when no slot is free. */
  defaultPostTimeOffsetMinutes: number;
}

export const DEFAULT_SETTINGS: WorkspaceSettings = { defaultPostTimeOffsetMinutes: 60 };

export const workspaceSettingsRepository = {
  async get(db: Sql, t: Tenant): Promise<WorkspaceSettings> {
    const [r] = await rows<{ default_post_time_offset_minutes: number }>(
      db,
      `SELECT default_post_time_offset_minutes FROM scheduler.workspace_settings WHERE workspace_id = $1`,
      [t.workspaceId],
    );
    return r ? { defaultPostTimeOffsetMinutes: r.default_post_time_offset_minutes } : { ...DEFAULT_SETTINGS };
  },

  /** PATCH semantics: absent fields keep their value. */
  async patch(db: Sql, t: Tenant, patch: Partial<WorkspaceSettings>, now: Date): Promise<WorkspaceSettings> {
    const next = { ...(await this.get(db, t)), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    await db.query(
      `INSERT INTO scheduler.workspace_settings (workspace_id, default_post_time_offset_minutes, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET default_post_time_offset_minutes = $2, updated_at = $3`,
      [t.workspaceId, next.defaultPostTimeOffsetMinutes, now],
    );
    return next;
  },
};
