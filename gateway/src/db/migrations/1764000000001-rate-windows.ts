import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Request counts per key and one-minute window, shared by every gateway replica (see SharedRateCounter). */
export class RateWindows1764000000001 implements MigrationInterface {
  name = 'RateWindows1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gateway.rate_windows (
        key_hash text NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (key_hash, window_start)
      )`);
    await q.query(`CREATE INDEX rate_windows_start ON gateway.rate_windows (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS gateway.rate_windows`);
  }
}
