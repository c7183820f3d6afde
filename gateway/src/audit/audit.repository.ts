import { Injectable } from '@nestjs/common';
import { GatewayDb, type Tx } from '../db/gateway-db';
import type { Scope } from '../users/users.repository';

export type AuditOutcome = 'success' | 'denied' | 'error';

export interface AuditEntry {
  id: string;
  workspaceId: string;
  at: Date;
  actorId: string;
  actorKind: 'user' | 'api-key' | 'anonymous';
  action: string;
  target: string;
  outcome: AuditOutcome;
  status: number;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  target?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  after?: { at: Date; id: string };
  limit: number;
}

interface AuditRow {
  id: string;
  workspace_id: string;
  at: Date;
  actor_id: string;
  actor_kind: AuditEntry['actorKind'];
  action: string;
  target: string;
  outcome: AuditOutcome;
  status: number;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  workspaceId: r.workspace_id,
  at: r.at,
  actorId: r.actor_id,
  actorKind: r.actor_kind,
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  status: r.status,
  ip: r.ip,
  userAgent: r.user_agent,
  correlationId: r.correlation_id,
});

@Injectable()
export class AuditRepository {
  constructor(private readonly db: GatewayDb) {}

  async insert(e: AuditEntry, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO gateway.audit_log
         (id, workspace_id, at, actor_id, actor_kind, action, target, outcome, status, ip, user_agent, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [e.id, e.workspaceId, e.at, e.actorId, e.actorKind, e.action, e.target, e.outcome, e.status, e.ip, e.userAgent, e.correlationId],
      tx,
    );
  }

  /** Newest first, keyset on (at, id) so pages stay stable while new entries arrive. */
  async list(scope: Scope, f: AuditFilter): Promise<AuditEntry[]> {
    const where = ['workspace_id = $1'];
    const params: unknown[] = [scope.workspaceId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.actorId) add('actor_id = ?', f.actorId);
    if (f.action) add(`action LIKE ? || '%'`, f.action.replace(/[\\%_]/g, (c) => `\\${c}`));
    if (f.target) add('target = ?', f.target);
    if (f.outcome) add('outcome = ?', f.outcome);
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    if (f.after) {
      params.push(f.after.at, f.after.id);
      where.push(`(at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(f.limit);
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM gateway.audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }
}
