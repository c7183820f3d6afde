import type { DataSource } from 'typeorm';
import type { CredentialCipher } from '../credentials/credential-cipher';
import { oauthStateAad } from './account.types';

/** What waits between the authorize redirect and the callback; the verifier is sealed at rest. */
export interface PendingAuthorization {
  state: string;
  workspaceId: string;
  pluginId: string;
  actorId: string;
  redirectUri: string;
  settings: Record<string, unknown>;
  codeVerifier: string;
  pending?: Record<string, unknown>;
  expiresAt: Date;
}

interface Row {
  state: string;
  workspace_id: string;
  plugin_id: string;
  actor_id: string;
  redirect_uri: string;
  settings: Record<string, unknown>;
  sealed_key_id: string;
  sealed_wrapped_key: Buffer;
  sealed_ciphertext: Buffer;
  expires_at: Date;
}

export class OAuthStatesRepository {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: CredentialCipher,
  ) {}

  async save(p: PendingAuthorization): Promise<void> {
    const sealed = this.cipher.encrypt({ codeVerifier: p.codeVerifier, pending: p.pending ?? {} }, oauthStateAad(p.workspaceId, p.state));
    await this.db.query(
      `INSERT INTO publisher.oauth_states (state, workspace_id, plugin_id, actor_id, redirect_uri, settings, sealed_key_id,
         sealed_wrapped_key, sealed_ciphertext, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [p.state, p.workspaceId, p.pluginId, p.actorId, p.redirectUri, JSON.stringify(p.settings), sealed.keyId, sealed.wrappedKey,
        sealed.ciphertext, p.expiresAt],
    );
  }

  /** Removes and returns the state (single use); undefined when unknown, expired or another workspace's. */
  async take(workspaceId: string, state: string, now: Date): Promise<PendingAuthorization | undefined> {
    await this.db.query(`DELETE FROM publisher.oauth_states WHERE workspace_id = $1 AND expires_at < $2`, [workspaceId, now]);
    const result = (await this.db.query(
      `DELETE FROM publisher.oauth_states WHERE workspace_id = $1 AND state = $2 AND expires_at >= $3 RETURNING *`,
      [workspaceId, state, now],
    )) as [Row[], number] | Row[];
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Row[];
    const r = rows[0];
    if (!r) return undefined;
    const open = this.cipher.decrypt<{ codeVerifier: string; pending: Record<string, unknown> }>(
      { keyId: r.sealed_key_id, wrappedKey: r.sealed_wrapped_key, ciphertext: r.sealed_ciphertext },
      oauthStateAad(workspaceId, state),
    );
    return {
      state: r.state,
      workspaceId: r.workspace_id,
      pluginId: r.plugin_id,
      actorId: r.actor_id,
      redirectUri: r.redirect_uri,
      settings: r.settings,
      codeVerifier: open.codeVerifier,
      pending: open.pending,
      expiresAt: r.expires_at,
    };
  }
}
