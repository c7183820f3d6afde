import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduler's tables. Every row carries workspace_id and every tenant query filters on it.
 * Times are timestamptz (UTC instants); schedules keep the user's IANA zone beside them.
 * publish_jobs holds the DESIGN §4 state machine; `fencing_token` grows on every claim.
 */
export class SchedulerSchema1763800000000 implements MigrationInterface {
  readonly name = 'SchedulerSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        title text NULL,
        text text NOT NULL,
        hashtags jsonb NOT NULL DEFAULT '[]',
        media_ids jsonb NOT NULL DEFAULT '[]',
        overrides jsonb NOT NULL DEFAULT '{}',
        labels jsonb NOT NULL DEFAULT '[]',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX posts_ws_page_idx ON scheduler.posts (workspace_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE scheduler.post_targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        post_id uuid NOT NULL REFERENCES scheduler.posts(id),
        account_id text NOT NULL,
        platform text NOT NULL,
        UNIQUE (post_id, account_id)
      )`);
    await q.query(`
      CREATE TABLE scheduler.schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('once', 'rrule', 'cron')),
        recurrence jsonb NOT NULL,
        zone text NOT NULL,
        start_at timestamptz NOT NULL,
        until_at timestamptz NULL,
        action jsonb NOT NULL,
        post_id uuid NULL REFERENCES scheduler.posts(id),
        catch_up jsonb NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        is_task boolean NOT NULL DEFAULT false,
        materialized_until timestamptz NULL,
        next_run_at timestamptz NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX schedules_ws_page_idx ON scheduler.schedules (workspace_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX schedules_materialize_idx ON scheduler.schedules (materialized_until) WHERE deleted_at IS NULL AND NOT paused AND kind <> 'once'`);
    await q.query(`
      CREATE TABLE scheduler.publish_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        schedule_id uuid NOT NULL REFERENCES scheduler.schedules(id),
        post_id uuid NULL REFERENCES scheduler.posts(id),
        target_id uuid NULL REFERENCES scheduler.post_targets(id),
        account_id text NULL,
        platform text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('publish', 'pipeline', 'webhook')),
        occurrence_key text NOT NULL UNIQUE,
        zone text NOT NULL,
        due_at timestamptz NOT NULL,
        fire_at timestamptz NOT NULL,
        state text NOT NULL CHECK (state IN ('pending','armed','dispatched','publishing','published','retry_wait','failed','cancelled','unknown','paused')),
        attempt integer NOT NULL DEFAULT 0,
        fencing_token bigint NOT NULL DEFAULT 0,
        lease_owner text NULL,
        lease_expires_at timestamptz NULL,
        fired_at timestamptz NULL,
        dispatch_acked_at timestamptz NULL,
        last_error text NULL,
        error_class text NULL,
        reason text NULL,
        platform_post_id text NULL,
        url text NULL,
        published_at timestamptz NULL,
        alerted_at timestamptz NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX jobs_claim_idx ON scheduler.publish_jobs (fire_at) WHERE state IN ('pending', 'retry_wait')`);
    await q.query(`CREATE INDEX jobs_lease_idx ON scheduler.publish_jobs (lease_expires_at) WHERE state = 'armed'`);
    await q.query(`CREATE INDEX jobs_unacked_idx ON scheduler.publish_jobs (fired_at) WHERE state = 'dispatched' AND dispatch_acked_at IS NULL`);
    await q.query(`CREATE INDEX jobs_ws_due_idx ON scheduler.publish_jobs (workspace_id, due_at, id)`);
    await q.query(`CREATE INDEX jobs_ws_post_idx ON scheduler.publish_jobs (workspace_id, post_id)`);
    await q.query(`CREATE INDEX jobs_ws_schedule_idx ON scheduler.publish_jobs (workspace_id, schedule_id)`);
    await q.query(`
      CREATE TABLE scheduler.job_executions (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        job_id uuid NOT NULL REFERENCES scheduler.publish_jobs(id),
        schedule_id uuid NOT NULL,
        post_id uuid NULL,
        at timestamptz NOT NULL,
        from_state text NULL,
        to_state text NOT NULL,
        attempt integer NOT NULL,
        detail text NULL
      )`);
    await q.query(`CREATE INDEX executions_ws_schedule_idx ON scheduler.job_executions (workspace_id, schedule_id, id DESC)`);
    await q.query(`CREATE INDEX executions_ws_post_idx ON scheduler.job_executions (workspace_id, post_id, id DESC)`);
    await q.query(`
      CREATE TABLE scheduler.slot_configs (
        workspace_id text NOT NULL,
        account_id text NOT NULL,
        zone text NOT NULL,
        times jsonb NOT NULL,
        spacing_minutes integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, account_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['slot_configs', 'job_executions', 'publish_jobs', 'schedules', 'post_targets', 'posts']) {
      await q.query(`DROP TABLE IF EXISTS scheduler.${t}`);
    }
  }
}
