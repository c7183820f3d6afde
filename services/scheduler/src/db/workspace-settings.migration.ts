import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-workspace scheduling settings (seed 001's `default_post_time_offset`); a missing row means the defaults. */
export class WorkspaceSettings1764900000000 implements MigrationInterface {
  readonly name = 'WorkspaceSettings1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.workspace_settings (
        workspace_id text PRIMARY KEY,
        default_post_time_offset_minutes integer NOT NULL CHECK (default_post_time_offset_minutes BETWEEN 0 AND 10080),
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS scheduler.workspace_settings`);
  }
}
