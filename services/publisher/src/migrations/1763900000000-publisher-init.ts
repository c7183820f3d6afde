import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PublisherInit1763900000000 implements MigrationInterface {
  name = 'PublisherInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS publisher`);
    await q.query(`
      CREATE TABLE publisher.accounts (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        plugin_id text NOT NULL,
        platform text NOT NULL,
        external_id text NOT NULL,
        handle text NOT NULL,
        display_name text NULL,
        url text NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reconnect', 'disconnected')),
        settings jsonb NOT NULL DEFAULT '{}',
        cred_key_id text NOT NULL,
        cred_wrapped_key bytea NOT NULL,
        cred_ciphertext bytea NOT NULL,
        cred_version int NOT NULL DEFAULT 1,
        expires_at timestamptz NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (workspace_id, plugin_id, external_id)
      )`);
    await q.query(`CREATE INDEX accounts_by_workspace ON publisher.accounts (workspace_id, created_at)`);
    await q.query(`
      CREATE TABLE publisher.oauth_states (
        state text PRIMARY KEY,
        workspace_id text NOT NULL,
        plugin_id text NOT NULL,
        actor_id text NOT NULL,
        redirect_uri text NOT NULL,
        settings jsonb NOT NULL,
        sealed_key_id text NOT NULL,
        sealed_wrapped_key bytea NOT NULL,
        sealed_ciphertext bytea NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE publisher.attempts (
        job_id text NOT NULL,
        attempt int NOT NULL,
        workspace_id text NOT NULL,
        post_id text NOT NULL,
        target_id text NOT NULL,
        account_id text NOT NULL,
        plugin_id text NULL,
        platform text NOT NULL,
        fencing_token bigint NOT NULL,
        idempotency_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('publishing', 'published', 'failed', 'retrying', 'unknown')),
        platform_post_id text NULL,
        url text NULL,
        error_class text NULL,
        message text NULL,
        retry_at timestamptz NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NULL,
        PRIMARY KEY (job_id, attempt)
      )`);
    await q.query(`CREATE INDEX attempts_by_workspace ON publisher.attempts (workspace_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE publisher.attempts`);
    await q.query(`DROP TABLE publisher.oauth_states`);
    await q.query(`DROP TABLE publisher.accounts`);
  }
}
