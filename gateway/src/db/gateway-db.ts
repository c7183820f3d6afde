import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { HealthRegistry } from '@sx/service-kit';
import { GatewayInit1732300000000 } from './migrations/1732300000000-gateway-init';

export const GATEWAY_DB_OPTIONS = Symbol('GATEWAY_DB_OPTIONS');

export interface GatewayDbOptions {
  /** Overrides config.database.url (embedded mode passes the URL of the PostgreSQL it started). */
  databaseUrl?: string;
}

/** Runs queries in one transaction; the callback receives the transaction's manager. */
export type Tx = EntityManager;

/**
 * The gateway's own PostgreSQL schema `gateway`. The pool is created lazily on `start()` (called by
 * the module on bootstrap) so building the module graph, e.g. for the OpenAPI document, opens no socket.
 */
@Injectable()
export class GatewayDb implements OnApplicationShutdown {
  private dataSource?: DataSource;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GATEWAY_DB_OPTIONS) private readonly options: GatewayDbOptions,
    private readonly health: HealthRegistry,
  ) {}

  async start(): Promise<void> {
    if (this.dataSource) return;
    const url = this.options.databaseUrl ?? this.config.database.url;
    if (!url) throw new Error('gateway: no database URL (set SX_DATABASE_URL or pass databaseUrl)');
    const ds = new DataSource({
      type: 'postgres',
      url,
      schema: 'gateway',
      poolSize: this.config.database.poolSize,
      migrations: [GatewayInit1732300000000],
      migrationsTableName: 'gateway_migrations',
      migrationsTransactionMode: 'all',
      applicationName: 'sx-gateway',
    });
    await ds.initialize();
    // Replicas starting together: one runs the migrations, the others wait on the session lock.
    const lock = ds.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['sx-gateway-migrations']);
      await ds.query('CREATE SCHEMA IF NOT EXISTS gateway');
      await ds.runMigrations();
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', ['sx-gateway-migrations']).catch(() => undefined);
      await lock.release();
    }
    this.dataSource = ds;
    this.health.register('gateway-db', 'gateway', async () => {
      await ds.query('SELECT 1');
      return { ok: true };
    });
  }

  private get ds(): DataSource {
    if (!this.dataSource) throw new Error('gateway database is not started');
    return this.dataSource;
  }

  /** Rows of a SELECT, or of the RETURNING clause of an INSERT/UPDATE/DELETE. */
  async query<T>(sql: string, params: unknown[] = [], tx?: Tx): Promise<T[]> {
    const runner = tx?.queryRunner ?? this.ds.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return (result.records ?? []) as T[];
    } finally {
      if (!tx?.queryRunner) await runner.release();
    }
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    this.dataSource = undefined;
  }
}
