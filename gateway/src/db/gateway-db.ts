import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@sx/persistence';

/** The gateway's schema in PostgreSQL (users, sessions, API keys, audit log). */
export const GATEWAY_SCHEMA = 'gateway';

/** A transaction's manager; pass it to repository methods to run them inside the transaction. */
export type Tx = EntityManager;

/** Thin access to the gateway's DataSource (from PersistenceModule.forService) for raw SQL repositories. */
@Injectable()
export class GatewayDb {
  constructor(@InjectDataSource(GATEWAY_SCHEMA) private readonly ds: DataSource) {}

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
}
