import type { Account } from '@sx/contracts';

/** An account row without its secret columns. */
export interface AccountRecord {
  id: string;
  workspaceId: string;
  pluginId: string;
  platform: string;
  externalId: string;
  handle: string;
  displayName: string | null;
  url: string | null;
  status: Account['status'];
  settings: Record<string, unknown>;
  credVersion: number;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AccountWithCredentials {
  account: AccountRecord;
  credentials: Record<string, unknown>;
}

export function toAccountDto(a: AccountRecord): Account {
  return {
    id: a.id,
    pluginId: a.pluginId,
    platform: a.platform,
    handle: a.handle,
    displayName: a.displayName ?? undefined,
    url: a.url ?? undefined,
    externalId: a.externalId,
    status: a.status,
    settings: a.settings,
    expiresAt: a.expiresAt?.toISOString(),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export const accountAad = (workspaceId: string, id: string) => `account:${workspaceId}:${id}`;
export const oauthStateAad = (workspaceId: string, state: string) => `oauth:${workspaceId}:${state}`;
