import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** Service schema names become SQL identifiers: only lower-case snake case is accepted. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`outbox schema "${schema}" must match ${SCHEMA_NAME}`);
  return schema;
}

/** NOTIFY channel the relay LISTENs on for `schema`. */
export const outboxChannel = (schema: string) => `sx_outbox_${assertSchemaName(schema)}`;

export type OutboxMigrationClass = new () => MigrationInterface;

/**
 * TypeORM migration creating `<schema>.outbox`. Add the returned class to the service's migrations.
 * Rows are found by `published_at IS NULL` (never `seq > last seen`: sequences commit out of order).
 * `failed_at` marks a row that can never be published (malformed); a person inspects it.
 */
export function createOutboxMigration(schema: string): OutboxMigrationClass {
  const s = assertSchemaName(schema);
  return class CreateOutboxMigration implements MigrationInterface {
    // TypeORM reads the trailing 13 digits as the migration's timestamp.
    readonly name = `BusOutbox_${s}_1763769600000`;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE SCHEMA IF NOT EXISTS "${s}"`);
      await q.query(`
        CREATE TABLE IF NOT EXISTS "${s}"."outbox" (
          seq bigserial PRIMARY KEY,
          event_id text NOT NULL UNIQUE,
          subject text NOT NULL,
          envelope jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          published_at timestamptz NULL,
          attempts integer NOT NULL DEFAULT 0,
          last_error text NULL,
          failed_at timestamptz NULL
        )`);
      await q.query(
        `CREATE INDEX IF NOT EXISTS "outbox_unpublished_idx" ON "${s}"."outbox" (seq) WHERE published_at IS NULL AND failed_at IS NULL`,
      );
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE IF EXISTS "${s}"."outbox"`);
    }
  };
}
