import { Injectable, computed, inject, signal } from '@angular/core';
import { AuthApi, AuthTokens } from '../api/auth.api';
import { CLOCK } from '../util/clock';

const REFRESH_KEY = 'sx.refresh';

interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is treated as expired (30 s early). */
  expiresAt: number;
}

export interface Identity {
  userId: string;
  role: 'admin' | 'editor' | 'viewer';
  workspaceId?: string;
  email?: string;
}

/** Decode the JWT payload for display only; the server verifies it. */
export function readIdentity(token: string): Identity | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const role = claims['role'];
    return {
      userId: String(claims['sub'] ?? ''),
      role: role === 'admin' || role === 'editor' || role === 'viewer' ? role : 'viewer',
      workspaceId: typeof claims['wid'] === 'string' ? claims['wid'] : undefined,
      email: typeof claims['email'] === 'string' ? claims['email'] : undefined,
    };
  } catch {
    return null;
  }
}

/**
 * Holds the session. The access token lives in memory only; the refresh token in
 * sessionStorage so a reload keeps the user signed in but closing the tab does not.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(AuthApi);
  private readonly clock = inject(CLOCK);
  private readonly session = signal<Session | null>(null);
  private refreshing: Promise<boolean> | null = null;

  readonly signedIn = computed(() => this.session() !== null);
  readonly identity = computed(() => {
    const s = this.session();
    return s ? readIdentity(s.accessToken) : null;
  });
  readonly canEdit = computed(() => this.identity()?.role !== 'viewer');

  get accessToken(): string | null {
    return this.session()?.accessToken ?? null;
  }

  get expired(): boolean {
    const s = this.session();
    return !s || this.clock.now() >= s.expiresAt;
  }

  async login(email: string, password: string): Promise<void> {
    this.accept(await this.api.login(email, password));
  }

  async setup(email: string, password: string, displayName: string, workspaceName: string): Promise<void> {
    this.accept(await this.api.setup({ email, password, displayName, workspaceName }));
  }

  /** Single-flight refresh: concurrent 401s share one call (refresh tokens rotate). */
  refresh(): Promise<boolean> {
    const token = this.session()?.refreshToken ?? sessionStorage.getItem(REFRESH_KEY);
    if (!token) return Promise.resolve(false);
    this.refreshing ??= this.api
      .refresh(token)
      .then((tokens) => {
        this.accept(tokens);
        return true;
      })
      .catch(() => {
        this.clear();
        return false;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** On start: resume a session from the stored refresh token, if any. */
  restore(): Promise<boolean> {
    return sessionStorage.getItem(REFRESH_KEY) ? this.refresh() : Promise.resolve(false);
  }

  async logout(): Promise<void> {
    if (this.session()) await this.api.logout().catch(() => undefined);
    this.clear();
  }

  clear(): void {
    this.session.set(null);
    sessionStorage.removeItem(REFRESH_KEY);
  }

  private accept(tokens: AuthTokens): void {
    const now = this.clock.now();
    const until = tokens.accessTokenExpiresAt ? Date.parse(tokens.accessTokenExpiresAt) : now + (tokens.expiresIn ?? 60) * 1000;
    const expiresAt = Math.max(now, until - 30_000);
    this.session.set({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt });
    sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  }
}
