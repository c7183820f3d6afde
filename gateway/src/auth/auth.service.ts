import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FIRST_WORKSPACE_ID } from '@sx/contracts';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { GatewayDb, type Tx } from '../db/gateway-db';
import { AuditService } from '../audit/audit.service';
import { SharedRateCounter } from '../http/shared-rate-counter';
import { publicUser, UsersRepository, type UserRecord, type UserWithHash } from '../users/users.repository';
import { AccessTokenService } from './access-token.service';
import type { LoginDto, SetupDto, TokenPair } from './auth.dto';
import { PasswordService } from './password.service';
import { hashSecret, newRefreshToken } from './refresh-token';
import { SessionEvents } from './session-events.service';
import { SessionsRepository } from './sessions.repository';

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export interface LoginResult extends TokenPair {
  user: UserRecord;
}

export const LOGIN_ATTEMPTS_PER_MIN_PER_IP = 30;
export const LOGIN_ATTEMPTS_PER_MIN_PER_ACCOUNT = 10;

const badCredentials = () => new AppError('invalid_credentials', 'E-mail or password is wrong', 401);
const badRefresh = () => new AppError('invalid_refresh_token', 'The refresh token is not valid', 401);

type RotateOutcome = { ok: true; pair: TokenPair } | { ok: false; error: AppError; revokedSession?: string };

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly db: GatewayDb,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: AccessTokenService,
    private readonly events: SessionEvents,
    private readonly attempts: SharedRateCounter,
    private readonly audit: AuditService,
  ) {}

  async setupNeeded(): Promise<boolean> {
    return (await this.users.countAll()) === 0;
  }

  /** First-run: creates the first workspace and its owner, only while no user exists at all. */
  async setup(dto: SetupDto, client: ClientInfo): Promise<LoginResult> {
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['sx-gateway-setup']);
      if ((await this.users.countAll(tx)) > 0) {
        throw AppError.conflict('setup_done', 'The first administrator already exists; sign in instead');
      }
      const now = this.clock.now();
      // The first workspace has a well-known id (the watch folder's default owner).
      const workspaceId = FIRST_WORKSPACE_ID;
      await this.users.insertWorkspace(workspaceId, dto.workspaceName, now, tx);
      const created: UserWithHash = {
        id: randomUUID(),
        workspaceId,
        email: dto.email,
        displayName: dto.displayName,
        passwordHash,
        role: 'admin',
        isOwner: true,
        createdAt: now,
        disabledAt: null,
      };
      await this.users.insert(created, tx);
      return created;
    });
    return { user: publicUser(user), ...(await this.startSession(user, client)) };
  }

  async login(dto: LoginDto, client: ClientInfo): Promise<LoginResult> {
    // Password guessing gets a far smaller budget than the API, per address and per account, shared by
    // every gateway replica.
    await this.attempts.charge(`login-ip:${client.ip ?? 'unknown'}`, LOGIN_ATTEMPTS_PER_MIN_PER_IP);
    await this.attempts.charge(`login-email:${dto.email}`, LOGIN_ATTEMPTS_PER_MIN_PER_ACCOUNT);
    const user = await this.users.findByEmailForLogin(dto.email);
    const ok = await this.passwords.verify(user?.passwordHash, dto.password);
    if (user && (!ok || user.disabledAt)) {
      // A failed sign-in to a real account is audited in that account's workspace (attacker unknown).
      await this.audit.record({
        workspaceId: user.workspaceId,
        actorId: 'anonymous',
        actorKind: 'anonymous',
        action: 'POST /api/auth/login',
        target: `user:${user.id}`,
        outcome: 'denied',
        status: 401,
        ip: client.ip ?? null,
        userAgent: client.userAgent ?? null,
      });
    }
    if (!user || !ok || user.disabledAt) throw badCredentials();
    return { user: publicUser(user), ...(await this.startSession(user, client)) };
  }

  /**
   * Rotates a refresh token. A token that was already used means it leaked (or was replayed):
   * the whole family is revoked, so the thief's and the owner's sessions both end.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.db.transaction((tx) => this.rotate(refreshToken, tx));
    if (!outcome.ok) {
      if (outcome.revokedSession) this.events.revoked('session', outcome.revokedSession);
      throw outcome.error;
    }
    return outcome.pair;
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.revokeSession(sessionId, 'logout', this.clock.now());
    this.events.revoked('session', sessionId);
  }

  async revokeUserSessions(scope: { workspaceId: string }, userId: string, reason: string): Promise<void> {
    const ids = await this.sessions.revokeAllForUser(scope, userId, reason, this.clock.now());
    for (const id of ids) this.events.revoked('session', id);
  }

  private async rotate(refreshToken: string, tx: Tx): Promise<RotateOutcome> {
    const now = this.clock.now();
    const record = await this.sessions.lockTokenByHash(hashSecret(refreshToken), tx);
    if (!record) return { ok: false, error: badRefresh() };
    const session = await this.sessions.findSession(record.sessionId, tx);
    if (!session || session.revokedAt) return { ok: false, error: badRefresh() };
    if (record.usedAt) {
      await this.sessions.revokeSession(session.id, 'refresh_token_reused', now, tx);
      return {
        ok: false,
        revokedSession: session.id,
        error: new AppError('refresh_token_reused', 'The refresh token was already used; the session is revoked', 401),
      };
    }
    if (record.expiresAt <= now || session.expiresAt <= now) return { ok: false, error: badRefresh() };
    const user = await this.users.findById({ workspaceId: session.workspaceId }, session.userId, tx);
    if (!user || user.disabledAt) {
      await this.sessions.revokeSession(session.id, 'user_disabled', now, tx);
      return { ok: false, revokedSession: session.id, error: badRefresh() };
    }
    await this.sessions.markUsed(record.id, now, tx);
    const pair = await this.issuePair(user, session.id, session.expiresAt, tx);
    return { ok: true, pair };
  }

  private async startSession(user: UserWithHash, client: ClientInfo): Promise<TokenPair> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    const expiresAt = new Date(now.getTime() + this.config.auth.refreshTokenTtlS * 1000);
    return this.db.transaction(async (tx) => {
      await this.sessions.insertSession(
        { id: sessionId, workspaceId: user.workspaceId, userId: user.id, createdAt: now, expiresAt, revokedAt: null, revokeReason: null, ...client },
        tx,
      );
      return this.issuePair(user, sessionId, expiresAt, tx);
    });
  }

  private async issuePair(user: UserWithHash, sessionId: string, sessionExpiresAt: Date, tx: Tx): Promise<TokenPair> {
    const now = this.clock.now();
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = sessionExpiresAt;
    await this.sessions.insertToken(
      { id: randomUUID(), sessionId, tokenHash: hashSecret(refreshToken), createdAt: now, expiresAt: refreshExpiresAt, usedAt: null },
      tx,
    );
    const access = await this.tokens.issueAccess({ userId: user.id, workspaceId: user.workspaceId, role: user.role, sessionId });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
    };
  }
}
