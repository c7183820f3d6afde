import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recovery of in-flight jobs: `publisher_owner` names the publisher process that reported the attempt
 * `publishing` (its liveness lock tells whether it still runs); the partial index serves the recovery
 * sweep and the late-job watchdog over the in-flight and unresolved states.
 */
export class JobRecovery1764800000000 implements MigrationInterface {
  readonly name = 'JobRecovery1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.publish_jobs ADD COLUMN publisher_owner text NULL`);
    await q.query(`CREATE INDEX jobs_inflight_idx ON scheduler.publish_jobs (fire_at) WHERE state IN ('dispatched', 'publishing', 'unknown')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS scheduler.jobs_inflight_idx`);
    await q.query(`ALTER TABLE scheduler.publish_jobs DROP COLUMN IF EXISTS publisher_owner`);
  }
}
