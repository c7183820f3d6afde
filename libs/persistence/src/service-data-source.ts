import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { assertSchemaName } from './schema-name';

export interface ServiceDataSourceOptions {
  /** postgres:// URL; may carry a password, so it is never logged or echoed in errors. */
  url: string;
  /** The service's own schema; its tables and its `migrations` table live there. */
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  poolSize?: number;
  /** Log migrations and warnings through TypeORM (never query parameters). */
  logging?: boolean;
}

/**
 * Builds and initialises a TypeORM DataSource for one service: creates its schema if needed,
 * sets `search_path` to it (so raw SQL in migrations lands there), and runs pending migrations
 * while holding a Postgres advisory lock, so replicas starting together migrate once.
 */
export async function createServiceDataSource(opts: ServiceDataSourceOptions): Promise<DataSource> {
  assertSchemaName(opts.schema);
  if (!/^postgres(ql)?:\/\//.test(opts.url)) {
    throw new Error(`database URL for schema "${opts.schema}" must be a postgres:// URL`);
  }
  const poolSize = opts.poolSize ?? 10;
  const dataSource = new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL >= 13; never CREATE EXTENSION at start.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: opts.logging ? ['migration', 'warn'] : false,
    applicationName: `sx-${opts.schema}`,
    extra: { max: poolSize, options: `-c search_path=${opts.schema},public` },
  });

  await withMigrationLock(opts.url, opts.schema, async (lock) => {
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } catch (e) {
      await dataSource.destroy();
      throw e;
    }
  });
  return dataSource;
}

/** Session-level advisory lock on a dedicated connection, so it never starves the pool. */
async function withMigrationLock(url: string, schema: string, fn: (lock: Client) => Promise<void>): Promise<void> {
  const lock = new Client({ connectionString: url, application_name: `sx-${schema}-migrate` });
  lock.on('error', () => undefined);
  try {
    await lock.connect();
  } catch (e) {
    throw new Error(`cannot connect to PostgreSQL for schema "${schema}": ${describe(e)}`);
  }
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`sx.migrate.${schema}`]);
    await fn(lock);
  } finally {
    await lock.end().catch(() => undefined);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
