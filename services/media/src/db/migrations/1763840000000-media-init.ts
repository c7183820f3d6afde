import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaInit1763840000000 implements MigrationInterface {
  name = 'MediaInit1763840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS media`);
    await q.query(`
      CREATE TABLE media.assets (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        filename text NOT NULL,
        mime text NOT NULL,
        kind text NOT NULL,
        bytes bigint NOT NULL,
        sha256 text,
        status text NOT NULL CHECK (status IN ('uploaded', 'processing', 'ready', 'rejected')),
        status_code text,
        status_detail text,
        source text NOT NULL,
        storage_key text,
        renditions jsonb NOT NULL DEFAULT '{}'::jsonb,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        tags text[] NOT NULL DEFAULT '{}',
        platforms text[] NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX assets_ws_sha_live ON media.assets (workspace_id, sha256) WHERE status <> 'rejected'`,
    );
    await q.query(`CREATE INDEX assets_ws_created ON media.assets (workspace_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX assets_tags ON media.assets USING gin (tags)`);
    await q.query(`
      CREATE TABLE media.watched_files (
        path text PRIMARY KEY,
        size bigint NOT NULL,
        mtime_ms double precision NOT NULL,
        sha256 text NOT NULL,
        asset_id uuid,
        outcome text NOT NULL,
        ingested_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS media.watched_files`);
    await q.query(`DROP TABLE IF EXISTS media.assets`);
  }
}
