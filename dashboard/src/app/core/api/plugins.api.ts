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
}

export interface Account {
  id: string;
  pluginId: string;
  platform: string;
  displayName: string;
  status: 'connected' | 'expired' | 'disconnected' | 'error';
  tokenExpiresAt?: string | null;
  lastRefreshAt?: string | null;
  rateLimit?: { limit: number; remaining: number; resetAt: string } | null;
  lastError?: string | null;
}

export type ConnectResult = { account: Account } | { redirectUrl: string };

@Injectable({ providedIn: 'root' })
export class PluginsApi {
  private readonly api = inject(ApiClient);

  plugins(): Promise<PluginManifest[]> {
    return this.api.get<PluginManifest[]>('/api/plugins');
  }
  accounts(): Promise<Account[]> {
    return this.api.get<Account[]>('/api/accounts');
  }
  connect(pluginId: string, displayName: string, credentials: Record<string, unknown>): Promise<ConnectResult> {
    return this.api.post<ConnectResult>('/api/accounts/connect', { pluginId, displayName, credentials });
  }
  disconnect(id: string): Promise<void> {
    return this.api.delete(`/api/accounts/${seg(id)}`);
  }
  profile(id: string): Promise<Record<string, unknown>> {
    return this.api.get<Record<string, unknown>>(`/api/accounts/${seg(id)}/profile`);
  }
}
