import type { Pool } from 'pg';
import { AppError } from '@sx/service-kit';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema holding the bus tables; also the LISTEN/NOTIFY channel. `bus` in production. */
export function busSchema(namespace: string): string {
  const schema = `${namespace}bus`;
  if (!SCHEMA_NAME.test(schema)) throw AppError.validation(`"${namespace}" is not a valid bus namespace (lower-case letters, digits, _)`);
  return schema;
}

/**
 * A NATS subject pattern as a POSIX regular expression, so the database itself routes a published
 * subject to every matching durable (`*` one token, trailing `>` one or more tokens).
 */
export function patternRegex(pattern: string): string {
  const tokens = pattern.split('.');
  const out = tokens.map((t, i) => {
    if (t === '*') return '[^.]+';
    if (t === '>' && i === tokens.length - 1) return '.+';
    return t.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`);
  });
  return `^${out.join('\\.')}$`;
}

/**
 * Tables (times are epoch milliseconds, bigint):
 * - `dedupe`: event ids seen inside the duplicate window.
 * - `consumers`: one row per durable, with the regex the database routes by.
 * - `queue`: one row per (message, durable) not yet acked; `available_at` is both the nak delay and the
 *   ack-wait deadline of a claimed row (a claim pushes it to now + ack wait; `working()` pushes it again).
 * - `backlog`: work-queue messages published while no durable consumed their subject.
 * - `dead_letters`: what a durable gave up on, with the reason.
 */
export async function ensureBusSchema(pool: Pool, schema: string): Promise<void> {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two processes starting at once must not race on CREATE ... IF NOT EXISTS (catalog unique violations).
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sx-bus-schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.dedupe (event_id text PRIMARY KEY, expires_at bigint NOT NULL)`);
    await client.query(`CREATE INDEX IF NOT EXISTS dedupe_expiry_idx ON ${s}.dedupe (expires_at)`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.consumers (
         name text PRIMARY KEY, pattern text NOT NULL, regex text NOT NULL, work_queue boolean NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.queue (
         id bigserial PRIMARY KEY, consumer text NOT NULL, subject text NOT NULL, body text NOT NULL,
         delivery_count integer NOT NULL DEFAULT 0, available_at bigint NOT NULL)`,
    );
    await client.query(`CREATE INDEX IF NOT EXISTS queue_claim_idx ON ${s}.queue (consumer, available_at, id)`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.backlog (id bigserial PRIMARY KEY, subject text NOT NULL, body text NOT NULL)`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.dead_letters (
         id bigserial PRIMARY KEY, consumer text NOT NULL, original_subject text NOT NULL, reason text NOT NULL,
         delivery_count integer NOT NULL, failed_at timestamptz NOT NULL, envelope text NOT NULL)`,
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Drops the bus schema (tests); refuses the production schema. */
export async function dropBusSchema(pool: Pool, schema: string): Promise<void> {
  if (schema === 'bus') throw new AppError('forbidden', 'refusing to drop the production bus schema', 403);
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
