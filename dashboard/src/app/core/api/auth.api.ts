import { Injectable, inject } from '@angular/core';
import { ApiClient } from './api-client';
import type { JsonBodyOf } from './openapi-types';

/** Token pair from login/setup/refresh. The gateway sends `accessTokenExpiresAt`; `expiresIn` (seconds) is accepted too. */
export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt?: string;
  expiresIn?: number;
}

/** Bodies of the auth routes, generated from the gateway's OpenAPI document. */
export type SetupRequest = JsonBodyOf<'AuthController_setup'>;
export type LoginRequest = JsonBodyOf<'AuthController_login'>;
export type RefreshRequest = JsonBodyOf<'AuthController_refresh'>;
export type CreateApiKeyRequest = JsonBodyOf<'ApiKeysController_create'>;

export interface ApiKeySummary {
  id: string;
  name: string;
  role: CreateApiKeyRequest['role'];
  createdAt: string;
  lastUsedAt?: string | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** Shown once, never again. */
  key: string;
}

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly api = inject(ApiClient);

  /** True until the first admin has been created. */
  async setupNeeded(): Promise<boolean> {
    return (await this.api.get<{ needed: boolean }>('/api/auth/setup')).needed;
  }
  setup(req: SetupRequest): Promise<AuthTokens> {
    return this.api.post<AuthTokens>('/api/auth/setup', req);
  }
  login(email: string, password: string): Promise<AuthTokens> {
    const body: LoginRequest = { email, password };
    return this.api.post<AuthTokens>('/api/auth/login', body);
  }
  refresh(refreshToken: string): Promise<AuthTokens> {
    const body: RefreshRequest = { refreshToken };
    return this.api.post<AuthTokens>('/api/auth/refresh', body);
  }
  /** Ends the server session of the bearer token. */
  logout(): Promise<void> {
    return this.api.post<void>('/api/auth/logout');
  }
  async listApiKeys(): Promise<ApiKeySummary[]> {
    return (await this.api.get<{ items: ApiKeySummary[] }>('/api/api-keys', { limit: 200 })).items;
  }
  createApiKey(name: string, role: ApiKeySummary['role']): Promise<CreatedApiKey> {
    const body: CreateApiKeyRequest = { name, role };
    return this.api.post<CreatedApiKey>('/api/api-keys', body);
  }
  revokeApiKey(id: string): Promise<void> {
    return this.api.delete(`/api/api-keys/${encodeURIComponent(id)}`);
  }
}
