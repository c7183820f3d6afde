import type { DataSource, EntityManager } from 'typeorm';
import { CredentialCipher, type SealedSecret } from '../credentials/credential-cipher';
import { accountAad, type AccountRecord, type AccountWithCredentials } from './account.types';

interface AccountRow {
  id: string;
  workspace_id: string;
  plugin_id: string;
  platform: string;
  external_id: string;
  handle: string;
  display_name: string | null;
  url: string | null;
  status: AccountRecord['status'];
  settings: Record<string, unknown>;
  cred_key_id: string;
  cred_wrapped_key: Buffer;
  cred_ciphertext: Buffer;
  cred_version: number;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const PUBLIC_COLUMNS = `id, workspace_id, plugin_id, platform, external_id, handle, display_name, url, status, settings,
  cred_version, expires_at, created_at, updated_at`;
const ALL_COLUMNS = `${PUBLIC_COLUMNS}, cred_key_id, cred_wrapped_key, cred_ciphertext`;

export interface NewAccount {
  id: string;
  workspaceId: string;
  pluginId: string;
  platform: string;
  externalId: string;
  handle: string;
  displayName?: string;
  url?: string;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
  expiresAt?: Date;
  now: Date;
}

/** accounts table; every query is scoped by workspace id; credentials are sealed before they leave this class. */
export class AccountsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: CredentialCipher,
  ) {}

  /** Inserts, or reconnects the same platform identity (fresh credentials, status active). */
  async upsert(a: NewAccount): Promise<AccountRecord> {
    const id = await this.db.transaction(async (tx) => {
      const rows = (await tx.query(
      `INSERT INTO publisher.accounts (id, workspace_id, plugin_id, platform, external_id, handle, display_name, url, status,
         settings, cred_key_id, cred_wrapped_key, cred_ciphertext, expires_at, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'active',$9,$10,$11,$12,$13,$14,$14)
       ON CONFLICT (workspace_id, plugin_id, external_id) DO UPDATE SET
         handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, url = EXCLUDED.url, status = 'active',
         settings = EXCLUDED.settings, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at,
         cred_version = publisher.accounts.cred_version + 1
       RETURNING id`,
        [a.id, a.workspaceId, a.pluginId, a.platform, a.externalId, a.handle, a.displayName ?? null, a.url ?? null,
          JSON.stringify(a.settings), 'pending', Buffer.alloc(0), Buffer.alloc(0), a.expiresAt ?? null, a.now],
      )) as { id: string }[];
      // The row id is part of the AAD, so seal once it is known (a reconnect keeps the old id).
      await this.writeCredentials(tx, a.workspaceId, rows[0].id, a.credentials, a.expiresAt ?? null, a.now, false);
      return rows[0].id;
    });
    return this.require(a.workspaceId, id);
  }

  async list(workspaceId: string, pluginId?: string): Promise<AccountRecord[]> {
    const rows = (await this.db.query(
      `SELECT ${PUBLIC_COLUMNS} FROM publisher.accounts WHERE workspace_id = $1 AND ($2::text IS NULL OR plugin_id = $2)
       ORDER BY created_at, id`,
      [workspaceId, pluginId ?? null],
    )) as AccountRow[];
    return rows.map(toRecord);
  }

  async get(workspaceId: string, id: string): Promise<AccountRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = (await this.db.query(`SELECT ${PUBLIC_COLUMNS} FROM publisher.accounts WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
    ])) as AccountRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async withCredentials(workspaceId: string, id: string): Promise<AccountWithCredentials | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = (await this.db.query(`SELECT ${ALL_COLUMNS} FROM publisher.accounts WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
    ])) as AccountRow[];
    return rows[0] ? this.open(rows[0]) : undefined;
  }

  /**
   * Serialises credential refreshes of one account across replicas: locks the row; when its
   * credentials moved past `seenVersion` someone else already refreshed, so their result is returned
   * without calling `refresh` (rotating refresh tokens must be used once).
   */
  async refreshLocked(
    workspaceId: string,
    id: string,
    seenVersion: number,
    refresh: (current: AccountWithCredentials) => Promise<{ credentials: Record<string, unknown>; expiresAt?: Date }>,
    now: Date,
  ): Promise<AccountWithCredentials> {
    return this.db.transaction(async (tx) => {
      const rows = (await tx.query(`SELECT ${ALL_COLUMNS} FROM publisher.accounts WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [
        workspaceId,
        id,
      ])) as AccountRow[];
      if (!rows[0]) throw new Error(`account ${id} disappeared during refresh`);
      const current = this.open(rows[0]);
      if (current.account.credVersion !== seenVersion) return current;
      const next = await refresh(current);
      await this.writeCredentials(tx, workspaceId, id, next.credentials, next.expiresAt ?? null, now, true);
      const fresh = (await tx.query(`SELECT ${ALL_COLUMNS} FROM publisher.accounts WHERE id = $1`, [id])) as AccountRow[];
      return this.open(fresh[0]);
    });
  }

  /** PATCH semantics: only what `patch` holds is written (`displayName: null` clears it). */
  async edit(workspaceId: string, id: string, patch: { displayName?: string | null; settings?: Record<string, unknown> }, now: Date): Promise<AccountRecord> {
    await this.db.query(
      `UPDATE publisher.accounts SET display_name = CASE WHEN $3 THEN $4 ELSE display_name END,
         settings = COALESCE($5::jsonb, settings), updated_at = $6 WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, patch.displayName !== undefined, patch.displayName ?? null, patch.settings ? JSON.stringify(patch.settings) : null, now],
    );
    return this.require(workspaceId, id);
  }

  async setStatus(workspaceId: string, id: string, status: AccountRecord['status'], now: Date): Promise<AccountRecord | undefined> {
    if (!isUuid(id)) return undefined;
    await this.db.query(`UPDATE publisher.accounts SET status = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
      status,
      now,
    ]);
    return this.get(workspaceId, id);
  }

  /** Marks the account disconnected and replaces its credentials with an empty sealed object. */
  async disconnect(workspaceId: string, id: string, now: Date): Promise<AccountRecord> {
    await this.db.transaction(async (tx) => {
      await this.writeCredentials(tx, workspaceId, id, {}, null, now, true);
      await tx.query(`UPDATE publisher.accounts SET status = 'disconnected' WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    });
    return this.require(workspaceId, id);
  }

  /** Re-encrypts every account of the workspace under the active key; returns how many rows changed. */
  async rotate(workspaceId: string, now: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = (await tx.query(`SELECT ${ALL_COLUMNS} FROM publisher.accounts WHERE workspace_id = $1 FOR UPDATE`, [
        workspaceId,
      ])) as AccountRow[];
      for (const r of rows) {
        const sealed = this.cipher.reencrypt(sealedOf(r), accountAad(r.workspace_id, r.id));
        await tx.query(
          `UPDATE publisher.accounts SET cred_key_id = $3, cred_wrapped_key = $4, cred_ciphertext = $5, updated_at = $6
           WHERE workspace_id = $1 AND id = $2`,
          [workspaceId, r.id, sealed.keyId, sealed.wrappedKey, sealed.ciphertext, now],
        );
      }
      return rows.length;
    });
  }

  private async writeCredentials(
    m: EntityManager,
    workspaceId: string,
    id: string,
    credentials: Record<string, unknown>,
    expiresAt: Date | null,
    now: Date,
    bumpVersion: boolean,
  ): Promise<void> {
    const s = this.cipher.encrypt(credentials, accountAad(workspaceId, id));
    await m.query(
      `UPDATE publisher.accounts SET cred_key_id = $3, cred_wrapped_key = $4, cred_ciphertext = $5, expires_at = $6,
         updated_at = $7, cred_version = cred_version + $8, status = 'active'
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, s.keyId, s.wrappedKey, s.ciphertext, expiresAt, now, bumpVersion ? 1 : 0],
    );
  }

  private async require(workspaceId: string, id: string): Promise<AccountRecord> {
    const a = await this.get(workspaceId, id);
    if (!a) throw new Error(`account ${id} vanished`);
    return a;
  }

  private open(r: AccountRow): AccountWithCredentials {
    return { account: toRecord(r), credentials: this.cipher.decrypt(sealedOf(r), accountAad(r.workspace_id, r.id)) };
  }
}

function sealedOf(r: AccountRow): SealedSecret {
  return { keyId: r.cred_key_id, wrappedKey: r.cred_wrapped_key, ciphertext: r.cred_ciphertext };
}

function toRecord(r: AccountRow): AccountRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    pluginId: r.plugin_id,
    platform: r.platform,
    externalId: r.external_id,
    handle: r.handle,
    displayName: r.display_name,
    url: r.url,
    status: r.status,
    settings: r.settings,
    credVersion: r.cred_version,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
