import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import { JsonSchema } from './json-schema';

/** How a platform counts characters (see shared/platforms/*.md). */
export type TextCounting = 'chars' | 'graphemes' | 'weighted' | 'bytes';

export interface PluginManifest {
  id: string;
  name: string;
  version: string;
  status: 'ready' | 'failed' | 'quarantined';
  loadError?: string | null;
  capabilities: string[];
  /** `credentials`: a form from credentialSchema; `oauth`: redirect to the platform. */
  auth: 'credentials' | 'oauth' | 'none';
  credentialSchema?: JsonSchema | null;
  limits?: {
    text?: { maxLength: number; counting: TextCounting; maxBytes?: number };
    title?: { maxLength: number };
    media?: { maxItems?: number; maxBytes?: number; maxDurationS?: number; kinds?: string[] };
  };
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
