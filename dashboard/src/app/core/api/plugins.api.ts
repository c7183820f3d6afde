import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import { JsonSchema } from './json-schema';

/** How a platform counts characters (mirrors the plugin SDK manifest; see shared/platforms/*.md). */
export type TextCounting = 'graphemes' | 'x_weighted' | 'code_points' | 'utf16' | 'bytes';
export type AuthKind = 'oauth2_pkce' | 'app_password' | 'bot_token' | 'webhook_url' | 'none';

export interface MediaKindLimits {
  maxBytes: number;
  mimeTypes: string[];
  maxPixels?: number;
  maxWidth?: number;
  maxHeight?: number;
  minDurationS?: number;
  maxDurationS?: number;
  maxItems?: number;
}

/**
 * A plugin as the host reports it: the manifest from the plugin's package.json (libs/plugin-sdk
 * manifest schema) plus its load status. The dashboard has no per-plugin code.
 */
export interface PluginManifest {
  id: string;
  name: string;
  version: string;
  platform: string;
  description?: string;
  status: 'ready' | 'failed' | 'quarantined';
  loadError?: string | null;
  capabilities: string[];
  auth: { kind: AuthKind; scopes?: string[] };
  text: { maxLength: number; counting: TextCounting; urlWeight?: number; maxHashtags?: number; required?: boolean };
  media: {
    maxItems: number;
    mixed?: boolean;
    image?: MediaKindLimits;
    video?: MediaKindLimits;
    gif?: MediaKindLimits;
  };
  credentialsSchema?: JsonSchema | null;
  /** Per-account settings asked for when connecting (e.g. the Mastodon instance URL, X's client id). */
  settingsSchema?: JsonSchema | null;
}

export interface Account {
  id: string;
  pluginId: string;
  platform: string;
  displayName: string;
  handle?: string;
  url?: string;
  status: 'connected' | 'expired' | 'disconnected';
  tokenExpiresAt?: string | null;
}

export interface AccountHealth {
  status: 'ok' | 'expiring' | 'expired' | 'needs_reconnect' | 'disconnected' | 'plugin_unavailable' | 'unreachable';
  expiresAt?: string;
  detail?: string;
  checkedAt: string;
  rateLimit?: RateLimitBudget;
}

/** The account's publish budget (publisher token bucket, corrected by platform headers). */
export interface RateLimitBudget {
  remaining: number;
  capacity: number;
  resetsAt: string | null;
  source: 'manifest' | 'headers';
}

/** An account's posting slots (scheduler getSlots/setSlots): wall-clock times in a zone, and the gap between posts. */
export interface SlotConfig {
  accountId: string;
  zone: string;
  times: string[];
  spacingMinutes: number;
}

export type ConnectResult = { account: Account } | { redirectUrl: string };

/** Wire shapes of the publisher routes (libs/contracts publisher.commands.ts). */
interface PluginInfo {
  id: string;
  status: PluginManifest['status'];
  reason?: string;
  name?: string;
  version?: string;
  platform?: string;
  authKind?: string;
  capabilities: string[];
  manifest?: Partial<PluginManifest>;
}
interface WireAccount {
  id: string;
  pluginId: string;
  platform: string;
  handle: string;
  displayName?: string;
  url?: string;
  status: 'active' | 'needs_reconnect' | 'disconnected';
  expiresAt?: string;
}
type WireConnect = { status: 'connected'; account: WireAccount } | { status: 'redirect'; authorizeUrl: string };

export function toManifest(p: PluginInfo): PluginManifest {
  const m = p.manifest ?? {};
  return {
    id: p.id,
    name: p.name ?? m.name ?? p.id,
    version: p.version ?? m.version ?? '?',
    platform: p.platform ?? m.platform ?? p.id,
    description: m.description,
    status: p.status,
    loadError: p.reason ?? null,
    capabilities: p.capabilities,
    auth: { kind: (p.authKind ?? m.auth?.kind ?? 'none') as AuthKind },
    text: m.text ?? { maxLength: 100_000, counting: 'code_points' },
    media: m.media ?? { maxItems: 0 },
    credentialsSchema: m.credentialsSchema ?? null,
    settingsSchema: m.settingsSchema ?? null,
  };
}

export function toAccount(a: WireAccount): Account {
  const status = a.status === 'active' ? 'connected' : a.status === 'needs_reconnect' ? 'expired' : 'disconnected';
  return { id: a.id, pluginId: a.pluginId, platform: a.platform, displayName: a.displayName || a.handle, handle: a.handle, url: a.url, status, tokenExpiresAt: a.expiresAt ?? null };
}

/** The connect input the publisher expects for each auth kind, from the form built from the credential schema. */
export function connectInput(kind: AuthKind, values: Record<string, unknown>, redirectUri: string): Record<string, unknown> {
  const str = (...keys: string[]) => keys.map((k) => values[k]).find((v) => typeof v === 'string' && v !== '') as string | undefined;
  switch (kind) {
    case 'webhook_url':
      return { kind, url: str('url'), secret: str('secret') };
    case 'app_password':
      return { kind, identifier: str('identifier', 'handle', 'username'), password: str('password', 'appPassword') };
    case 'bot_token':
      return { kind, token: str('token', 'botToken', 'accessToken') };
    case 'oauth2_pkce':
      return { kind, redirectUri };
    case 'none':
      return { kind };
  }
}

@Injectable({ providedIn: 'root' })
export class PluginsApi {
  private readonly api = inject(ApiClient);

  async plugins(): Promise<PluginManifest[]> {
    return (await this.api.get<{ items: PluginInfo[] }>('/api/plugins')).items.map(toManifest);
  }
  async accounts(): Promise<Account[]> {
    return (await this.api.get<{ items: WireAccount[] }>('/api/accounts')).items.map(toAccount);
  }
  async connect(plugin: PluginManifest, values: Record<string, unknown>, redirectUri: string, settings: Record<string, unknown> = {}): Promise<ConnectResult> {
    const res = await this.api.post<WireConnect>('/api/accounts/connect', {
      pluginId: plugin.id,
      settings,
      input: connectInput(plugin.auth.kind, values, redirectUri),
    });
    return res.status === 'redirect' ? { redirectUrl: res.authorizeUrl } : { account: toAccount(res.account) };
  }
  async oauthCallback(state: string, code: string | null, error: string | null): Promise<Account> {
    const res = await this.api.post<{ account: WireAccount }>('/api/accounts/oauth/callback', { state, code: code ?? undefined, error: error ?? undefined });
    return toAccount(res.account);
  }
  async disconnect(id: string): Promise<void> {
    await this.api.post(`/api/accounts/${seg(id)}/disconnect`);
  }
  slots(id: string): Promise<SlotConfig> {
    return this.api.get<SlotConfig>(`/api/schedule/slots/${seg(id)}`);
  }
  setSlots(c: SlotConfig): Promise<SlotConfig> {
    return this.api.put<SlotConfig>(`/api/schedule/slots/${seg(c.accountId)}`, { zone: c.zone, times: c.times, spacingMinutes: c.spacingMinutes });
  }
  nextSlots(id: string, count: number): Promise<{ at: string; local: string }[]> {
    return this.api.get<{ slots: { at: string; local: string }[] }>(`/api/schedule/slots/${seg(id)}/next`, { count }).then((r) => r.slots);
  }
  health(id: string): Promise<AccountHealth> {
    return this.api.get<AccountHealth>(`/api/accounts/${seg(id)}/health`);
  }
}
