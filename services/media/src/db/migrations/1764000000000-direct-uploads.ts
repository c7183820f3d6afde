import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Direct uploads handed out and not yet completed (see StagingLedger). */
export class DirectUploads1764000000000 implements MigrationInterface {
  name = 'DirectUploads1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media.direct_uploads (
        upload_id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        staging_key text NOT NULL,
        multipart_id text,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX direct_uploads_created ON media.direct_uploads (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS media.direct_uploads`);
  }
}
