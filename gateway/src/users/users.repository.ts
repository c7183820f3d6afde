import { Injectable } from '@nestjs/common';
import { GatewayDb, type Tx } from '../db/gateway-db';
import type { Role } from '../auth/principal';

/** Every tenant-owned query takes the workspace first, so none can be written without it. */
export interface Scope {
  workspaceId: string;
}

export interface UserRecord {
  id: string;
  workspaceId: string;
  email: string;
  displayName: string;
  role: Role;
  isOwner: boolean;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface UserWithHash extends UserRecord {
  passwordHash: string;
}

interface UserRow {
  id: string;
  workspace_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: Role;
  is_owner: boolean;
  created_at: Date;
  disabled_at: Date | null;
}

const toUser = (r: UserRow): UserWithHash => ({
  id: r.id,
  workspaceId: r.workspace_id,
  email: r.email,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  role: r.role,
  isOwner: r.is_owner,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

export const publicUser = ({ passwordHash: _hash, ...user }: UserWithHash): UserRecord => user;

@Injectable()
export class UsersRepository {
  constructor(private readonly db: GatewayDb) {}

  async countAll(tx?: Tx): Promise<number> {
    const [row] = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM gateway.users', [], tx);
    return Number(row.n);
  }

  /** Login is the one lookup across workspaces: an e-mail is unique in the installation. */
  async findByEmailForLogin(email: string): Promise<UserWithHash | undefined> {
    const rows = await this.db.query<UserRow>('SELECT * FROM gateway.users WHERE lower(email) = lower($1)', [email]);
    return rows[0] && toUser(rows[0]);
  }

  async findById(scope: Scope, id: string, tx?: Tx): Promise<UserWithHash | undefined> {
    const rows = await this.db.query<UserRow>(
      'SELECT * FROM gateway.users WHERE workspace_id = $1 AND id = $2',
      [scope.workspaceId, id],
      tx,
    );
    return rows[0] && toUser(rows[0]);
  }

  async list(scope: Scope, limit: number, after?: { createdAt: Date; id: string }): Promise<UserWithHash[]> {
    const rows = after
      ? await this.db.query<UserRow>(
          `SELECT * FROM gateway.users WHERE workspace_id = $1 AND (created_at, id) > ($2, $3)
           ORDER BY created_at, id LIMIT $4`,
          [scope.workspaceId, after.createdAt, after.id, limit],
        )
      : await this.db.query<UserRow>(
          'SELECT * FROM gateway.users WHERE workspace_id = $1 ORDER BY created_at, id LIMIT $2',
          [scope.workspaceId, limit],
        );
    return rows.map(toUser);
  }

  async insert(user: UserWithHash, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO gateway.users (id, workspace_id, email, display_name, password_hash, role, is_owner, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [user.id, user.workspaceId, user.email, user.displayName, user.passwordHash, user.role, user.isOwner, user.createdAt],
      tx,
    );
  }

  async emailTaken(email: string, tx?: Tx): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM gateway.users WHERE lower(email) = lower($1)', [email], tx);
    return rows.length > 0;
  }

  async update(scope: Scope, id: string, patch: { role?: Role; disabledAt?: Date | null }, tx?: Tx): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE gateway.users SET role = COALESCE($3, role),
         disabled_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE disabled_at END
       WHERE workspace_id = $1 AND id = $2 RETURNING id`,
      [scope.workspaceId, id, patch.role ?? null, patch.disabledAt !== undefined, patch.disabledAt ?? null],
      tx,
    );
    return rows.length > 0;
  }

  async setPasswordHash(scope: Scope, id: string, passwordHash: string, tx?: Tx): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE gateway.users SET password_hash = $3 WHERE workspace_id = $1 AND id = $2 RETURNING id',
      [scope.workspaceId, id, passwordHash],
      tx,
    );
    return rows.length > 0;
  }

  async insertWorkspace(id: string, name: string, createdAt: Date, tx?: Tx): Promise<void> {
    await this.db.query('INSERT INTO gateway.workspaces (id, name, created_at) VALUES ($1, $2, $3)', [id, name, createdAt], tx);
  }

  async workspaceName(scope: Scope): Promise<string | undefined> {
    const rows = await this.db.query<{ name: string }>('SELECT name FROM gateway.workspaces WHERE id = $1', [scope.workspaceId]);
    return rows[0]?.name;
  }
}
