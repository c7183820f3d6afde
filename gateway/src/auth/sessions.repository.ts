import { Injectable } from '@nestjs/common';
import { GatewayDb, type Tx } from '../db/gateway-db';

export interface SessionRecord {
  id: string;
  workspaceId: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokeReason: string | null;
}

export interface RefreshTokenRecord {
  id: string;
  sessionId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

interface SessionRow {
  id: string;
  workspace_id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokeReason: r.revoke_reason,
});

/** A session is one refresh-token family: every rotation adds a token to it, reuse revokes all of it. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: GatewayDb) {}

  async insertSession(s: SessionRecord & { ip?: string; userAgent?: string }, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO gateway.sessions (id, workspace_id, user_id, created_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.workspaceId, s.userId, s.createdAt, s.expiresAt, s.ip ?? null, s.userAgent?.slice(0, 300) ?? null],
      tx,
    );
  }

  async insertToken(t: RefreshTokenRecord & { tokenHash: string; createdAt: Date }, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO gateway.refresh_tokens (id, session_id, token_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [t.id, t.sessionId, t.tokenHash, t.createdAt, t.expiresAt],
      tx,
    );
  }

  /** Locks the token row for the rotating transaction, so two concurrent uses serialise. */
  async lockTokenByHash(tokenHash: string, tx: Tx): Promise<RefreshTokenRecord | undefined> {
    const rows = await this.db.query<{ id: string; session_id: string; expires_at: Date; used_at: Date | null }>(
      'SELECT id, session_id, expires_at, used_at FROM gateway.refresh_tokens WHERE token_hash = $1 FOR UPDATE',
      [tokenHash],
      tx,
    );
    const r = rows[0];
    return r && { id: r.id, sessionId: r.session_id, expiresAt: r.expires_at, usedAt: r.used_at };
  }

  async markUsed(tokenId: string, at: Date, tx: Tx): Promise<void> {
    await this.db.query('UPDATE gateway.refresh_tokens SET used_at = $2 WHERE id = $1', [tokenId, at], tx);
  }

  /** Internal lookup by the session id carried in a verified token or refresh token. */
  async findSession(sessionId: string, tx?: Tx): Promise<SessionRecord | undefined> {
    const rows = await this.db.query<SessionRow>('SELECT * FROM gateway.sessions WHERE id = $1', [sessionId], tx);
    return rows[0] && toSession(rows[0]);
  }

  async revokeSession(sessionId: string, reason: string, at: Date, tx?: Tx): Promise<void> {
    await this.db.query(
      'UPDATE gateway.sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL',
      [sessionId, at, reason],
      tx,
    );
  }

  async revokeAllForUser(scope: { workspaceId: string }, userId: string, reason: string, at: Date, tx?: Tx): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE gateway.sessions SET revoked_at = $3, revoke_reason = $4
       WHERE workspace_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [scope.workspaceId, userId, at, reason],
      tx,
    );
    return rows.map((r) => r.id);
  }

  /** Of the given session ids, those revoked or expired (for closing SSE streams across replicas). */
  async deadSessions(ids: string[], now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM gateway.sessions WHERE id = ANY($1::uuid[]) AND (revoked_at IS NOT NULL OR expires_at <= $2)`,
      [ids, now],
    );
    return rows.map((r) => r.id);
  }
}
