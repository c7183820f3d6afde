import { Injectable } from '@nestjs/common';
import { GatewayDb } from '../db/gateway-db';
import type { Role } from '../auth/principal';
import type { Scope } from '../users/users.repository';

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  role: Role;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, workspace_id, name, role, created_by, created_at, expires_at, last_used_at, revoked_at';

const toKey = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  role: r.role,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: GatewayDb) {}

  async insert(key: ApiKeyRecord & { keyHash: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO gateway.api_keys (id, workspace_id, name, role, key_hash, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [key.id, key.workspaceId, key.name, key.role, key.keyHash, key.createdBy, key.createdAt, key.expiresAt],
    );
  }

  /** Authentication lookup: the hash identifies the key and, through it, the workspace. */
  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const rows = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM gateway.api_keys WHERE key_hash = $1`, [keyHash]);
    return rows[0] && toKey(rows[0]);
  }

  /** Records use at most once a minute per key, so a busy key does not write on every request. */
  async touch(id: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE gateway.api_keys SET last_used_at = $2
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }

  async list(scope: Scope, limit: number, after?: { createdAt: Date; id: string }): Promise<ApiKeyRecord[]> {
    const rows = after
      ? await this.db.query<ApiKeyRow>(
          `SELECT ${COLUMNS} FROM gateway.api_keys WHERE workspace_id = $1 AND (created_at, id) > ($2, $3)
           ORDER BY created_at, id LIMIT $4`,
          [scope.workspaceId, after.createdAt, after.id, limit],
        )
      : await this.db.query<ApiKeyRow>(
          `SELECT ${COLUMNS} FROM gateway.api_keys WHERE workspace_id = $1 ORDER BY created_at, id LIMIT $2`,
          [scope.workspaceId, limit],
        );
    return rows.map(toKey);
  }

  async revoke(scope: Scope, id: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE gateway.api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE workspace_id = $1 AND id = $2 RETURNING id`,
      [scope.workspaceId, id, at],
    );
    return rows.length > 0;
  }

  /** Of the given key ids, those revoked or expired (for closing SSE streams across replicas). */
  async deadKeys(ids: string[], now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM gateway.api_keys WHERE id = ANY($1::uuid[]) AND (revoked_at IS NOT NULL OR expires_at <= $2)`,
      [ids, now],
    );
    return rows.map((r) => r.id);
  }
}
