import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PipelineInit1763850000000 implements MigrationInterface {
  name = 'PipelineInit1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS pipeline`);
    await q.query(`
      CREATE TABLE pipeline.runs (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        pipeline text NOT NULL,
        asset_id text NULL,
        status text NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
        trigger text NOT NULL,
        params jsonb NOT NULL,
        correlation_id text NOT NULL,
        trigger_ref text NULL UNIQUE,
        created_at timestamptz NOT NULL,
        started_at timestamptz NULL,
        finished_at timestamptz NULL,
        next_run_at timestamptz NOT NULL,
        lease_owner text NULL,
        lease_until timestamptz NULL,
        lease_token bigint NOT NULL DEFAULT 0,
        error text NULL
      )`);
    await q.query(`CREATE INDEX runs_runnable ON pipeline.runs (next_run_at) WHERE status IN ('queued','running')`);
    await q.query(`CREATE INDEX runs_by_workspace ON pipeline.runs (workspace_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE pipeline.stage_runs (
        run_id uuid NOT NULL REFERENCES pipeline.runs(id) ON DELETE CASCADE,
        stage text NOT NULL,
        position int NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','running','succeeded','failed','skipped')),
        attempts int NOT NULL DEFAULT 0,
        started_at timestamptz NULL,
        finished_at timestamptz NULL,
        next_attempt_at timestamptz NULL,
        log text NOT NULL DEFAULT '',
        error text NULL,
        output jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (run_id, stage)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pipeline.stage_runs`);
    await q.query(`DROP TABLE pipeline.runs`);
  }
}
