import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The publisher process making an attempt's call: while it is alive, a redelivery never reconciles beside it. */
export class AttemptOwner1764800000001 implements MigrationInterface {
  readonly name = 'AttemptOwner1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publisher.attempts ADD COLUMN owner text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publisher.attempts DROP COLUMN IF EXISTS owner`);
  }
}
