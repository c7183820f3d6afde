import { Injectable, inject } from '@angular/core';
import { ApiClient } from './api-client';

export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

export interface SetupRequest {
  email: string;
  password: string;
  displayName?: string;
  workspaceName?: string;
}

export interface AuthStatus {
  /** False until the first admin has been created. */
  initialized: boolean;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  role: 'admin' | 'editor' | 'viewer';
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

  status(): Promise<AuthStatus> {
    return this.api.get<AuthStatus>('/api/auth/status');
  }
  setup(req: SetupRequest): Promise<AuthTokens> {
    return this.api.post<AuthTokens>('/api/auth/setup', req);
  }
  login(email: string, password: string): Promise<AuthTokens> {
    return this.api.post<AuthTokens>('/api/auth/login', { email, password });
  }
  refresh(refreshToken: string): Promise<AuthTokens> {
    return this.api.post<AuthTokens>('/api/auth/refresh', { refreshToken });
  }
  logout(refreshToken: string): Promise<void> {
    return this.api.post<void>('/api/auth/logout', { refreshToken });
  }
  listApiKeys(): Promise<ApiKeySummary[]> {
    return this.api.get<ApiKeySummary[]>('/api/auth/api-keys');
  }
  createApiKey(name: string, role: ApiKeySummary['role']): Promise<CreatedApiKey> {
    return this.api.post<CreatedApiKey>('/api/auth/api-keys', { name, role });
  }
  revokeApiKey(id: string): Promise<void> {
    return this.api.delete(`/api/auth/api-keys/${encodeURIComponent(id)}`);
  }
}
