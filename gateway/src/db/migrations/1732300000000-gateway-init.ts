import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, workspaces, refresh-token families, API keys and the audit log of the gateway. */
export class GatewayInit1732300000000 implements MigrationInterface {
  name = 'GatewayInit1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE gateway.workspaces (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE gateway.users (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL REFERENCES gateway.workspaces(id) ON DELETE CASCADE,
      email text NOT NULL,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
      is_owner boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      disabled_at timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX users_email_unique ON gateway.users (lower(email))`);
    await q.query(`CREATE INDEX users_workspace ON gateway.users (workspace_id, created_at, id)`);
    await q.query(`CREATE TABLE gateway.sessions (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL REFERENCES gateway.workspaces(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES gateway.users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoke_reason text,
      ip text,
      user_agent text)`);
    await q.query(`CREATE INDEX sessions_user ON gateway.sessions (user_id)`);
    await q.query(`CREATE TABLE gateway.refresh_tokens (
      id uuid PRIMARY KEY,
      session_id uuid NOT NULL REFERENCES gateway.sessions(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz)`);
    await q.query(`CREATE TABLE gateway.api_keys (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL REFERENCES gateway.workspaces(id) ON DELETE CASCADE,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
      key_hash text NOT NULL UNIQUE,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz)`);
    await q.query(`CREATE INDEX api_keys_workspace ON gateway.api_keys (workspace_id, created_at, id)`);
    await q.query(`CREATE TABLE gateway.audit_log (
      id uuid PRIMARY KEY,
      workspace_id text NOT NULL,
      at timestamptz NOT NULL,
      actor_id text NOT NULL,
      actor_kind text NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'error')),
      status integer NOT NULL,
      ip text,
      user_agent text,
      correlation_id text NOT NULL)`);
    await q.query(`CREATE INDEX audit_log_keyset ON gateway.audit_log (workspace_id, at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'api_keys', 'refresh_tokens', 'sessions', 'users', 'workspaces']) {
      await q.query(`DROP TABLE IF EXISTS gateway.${t}`);
    }
  }
}
