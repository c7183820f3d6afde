import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Advisory-lock namespaces (the first key of pg_advisory_lock(int4, int4)) of the processes whose
 * liveness others check: a scheduler replica holding leases, a publisher holding attempts.
 */
export const LIVENESS = { scheduler: 0x53580001, publisher: 0x53580002 } as const;
export type LivenessKind = keyof typeof LIVENESS;

/**
 * SQL that is true while the process `ownerExpr` (an SQL text expression) of `kind` holds its liveness
 * lock: a session-level advisory lock on (namespace, hashtext(owner)) that Postgres releases the moment
 * that process's connection ends (kill -9, crash, network loss), so a dead owner is known at once instead
 * of after its lease runs out. The lock list is an uncorrelated subquery (read once per statement, hashed).
 * A hash collision can only make a dead owner look alive (its work then waits for its lease), never the reverse.
 */
export function ownerAliveSql(kind: LivenessKind, ownerExpr: string): string {
  return `(hashtext(${ownerExpr})::oid IN (SELECT l.objid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.classid = ${LIVENESS[kind]}::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())))`;
}

/**
 * Holds this process's liveness lock on one dedicated connection for as long as it runs. `ensure()` (called
 * from a periodic loop) re-takes it on a fresh connection after the old one broke; until then others may
 * treat this process as dead, and the fencing tokens keep that safe.
 */
export class OwnerLiveness {
  private runner?: QueryRunner;
  private ensuring?: Promise<void>;

  constructor(
    private readonly db: DataSource,
    readonly kind: LivenessKind,
    readonly owner: string,
  ) {}

  /** Concurrent callers share one attempt (a second session would block on the lock the first holds). */
  ensure(): Promise<void> {
    this.ensuring ??= this.take().finally(() => {
      this.ensuring = undefined;
    });
    return this.ensuring;
  }

  private async take(): Promise<void> {
    if (this.runner) {
      const ok = await this.runner.query('SELECT 1').then(() => true, () => false);
      if (ok) return;
      await this.runner.release().catch(() => undefined);
      this.runner = undefined;
    }
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      // try, not wait: a lock still held by this owner's broken old session must not hang the caller's loop.
      const [got] = (await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LIVENESS[this.kind], this.owner])) as { ok: boolean }[];
      if (!got?.ok) throw new Error(`liveness lock of ${this.owner} is still held by an old session`);
    } catch (e) {
      await runner.release().catch(() => undefined);
      throw e;
    }
    this.runner = runner;
  }

  async stop(): Promise<void> {
    await this.ensuring?.catch(() => undefined);
    const runner = this.runner;
    this.runner = undefined;
    if (!runner) return;
    await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LIVENESS[this.kind], this.owner]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}
