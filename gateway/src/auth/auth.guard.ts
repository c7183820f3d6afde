import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppError, CLOCK, type Clock, ObservabilityController } from '@sx/service-kit';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService } from '../audit/audit.service';
import { RateLimiterService } from '../http/rate-limiter.service';
import { AccessTokenService } from './access-token.service';
import { FailedAuthBudget } from './failed-auth-budget';
import { PRINCIPAL_REQUEST_KEY, type RequestWithPrincipal } from './current-principal.decorator';
import { ROLE_RANK, type Principal, type Role } from './principal';
import { MIN_ROLE_KEY, PUBLIC_KEY } from './roles.decorator';
import { SessionsRepository } from './sessions.repository';
import { SSE_TICKET_KEY, SseTicketService } from './sse-ticket.service';

/** Request property holding the session id of a JWT caller (logout, SSE revocation). */
export const SESSION_REQUEST_KEY = 'sxSessionId';
/** Request property holding when the caller's credential stops being valid (SSE closes then). */
export const CREDENTIAL_EXPIRY_KEY = 'sxCredentialExpiresAt';

export type AuthedRequest = Request &
  RequestWithPrincipal & { [SESSION_REQUEST_KEY]?: string; [CREDENTIAL_EXPIRY_KEY]?: Date };

const API_KEY_STREAM_MAX_MS = 3_600_000;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Least role for a route: its @MinRole, else viewer for reads and editor for anything that mutates. */
export function requiredRole(declared: Role | undefined, method: string): Role {
  return declared ?? (READ_METHODS.has(method.toUpperCase()) ? 'viewer' : 'editor');
}

/**
 * The global guard: authenticates (JWT access token, API key, or an SSE ticket on routes that allow
 * it), enforces @MinRole, and charges the caller's rate-limit budget (429 + Retry-After). A rejected
 * credential is charged to the address's failed-auth budget instead (FailedAuthBudget).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionsRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly tickets: SseTicketService,
    private readonly limiter: RateLimiterService,
    private readonly audit: AuditService,
    private readonly failedAuth: FailedAuthBudget,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    if (ctx.getClass() === ObservabilityController) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      // Anonymous endpoints (login, setup, refresh) are budgeted per client address.
      this.charge(`ip:${req.ip ?? 'unknown'}`, res);
      return true;
    }
    const allowTicket = this.reflector.getAllAndOverride<boolean>(SSE_TICKET_KEY, targets) ?? false;
    const principal = await this.authenticateWithinBudget(req, allowTicket);
    req[PRINCIPAL_REQUEST_KEY] = principal;
    this.charge(`${principal.kind}:${principal.userId}`, res);
    const needed = requiredRole(this.reflector.getAllAndOverride<Role>(MIN_ROLE_KEY, targets), req.method);
    if (ROLE_RANK[principal.role] < ROLE_RANK[needed]) {
      if (!READ_METHODS.has(req.method)) {
        await this.audit.record({
          workspaceId: principal.workspaceId,
          actorId: principal.userId,
          actorKind: principal.kind,
          action: `${req.method} ${req.route?.path ?? req.path}`,
          target: req.originalUrl.split('?')[0],
          outcome: 'denied',
          status: 403,
          ip: req.ip ?? null,
          userAgent: req.get('user-agent') ?? null,
        });
      }
      throw new AppError('forbidden', `This needs the ${needed} role`, 403);
    }
    return true;
  }

  private charge(key: string, res: Response): void {
    res.setHeader('RateLimit-Remaining', String(this.limiter.charge(key)));
  }

  /** Rejected credentials count against the address's failed-auth budget; a missing one does not. */
  private async authenticateWithinBudget(req: AuthedRequest, allowTicket: boolean): Promise<Principal> {
    const ip = req.ip ?? 'unknown';
    this.failedAuth.assertAllowed(ip);
    try {
      return await this.authenticate(req, allowTicket);
    } catch (e) {
      if (e instanceof AppError && e.status === 401 && e.code !== 'unauthenticated') await this.failedAuth.charge(ip);
      throw e;
    }
  }

  private async authenticate(req: AuthedRequest, allowTicket: boolean): Promise<Principal> {
    const header = req.get('authorization');
    const apiKeyHeader = req.get('x-api-key');
    const ticket = typeof req.query['ticket'] === 'string' ? req.query['ticket'] : undefined;
    if (apiKeyHeader !== undefined || header?.startsWith('Bearer sxk_')) {
      const key = apiKeyHeader ?? (header as string).slice('Bearer '.length);
      const principal = await this.apiKeys.authenticate(key.trim());
      if (!principal) throw new AppError('invalid_api_key', 'The API key is not valid', 401);
      // Streams opened with a key re-check it at least hourly (revocations close them sooner).
      req[CREDENTIAL_EXPIRY_KEY] = new Date(this.clock.nowMs() + API_KEY_STREAM_MAX_MS);
      return principal;
    }
    if (header !== undefined) {
      const match = /^Bearer ([^\s]+)$/.exec(header);
      if (!match) throw new AppError('invalid_token', 'The access token is not valid', 401);
      const claims = await this.tokens.verifyAccess(match[1]);
      return this.fromSession(req, claims.sid, claims.sub, claims.wid, claims.role, new Date(claims.exp * 1000));
    }
    if (ticket !== undefined && allowTicket) {
      const t = await this.tickets.redeem(ticket);
      if (t.kind === 'api-key') {
        req[CREDENTIAL_EXPIRY_KEY] = t.expiresAt;
        return { userId: t.userId, workspaceId: t.workspaceId, role: t.role, kind: 'api-key' };
      }
      return this.fromSession(req, t.sessionId, t.userId, t.workspaceId, t.role, t.expiresAt);
    }
    throw new AppError('unauthenticated', 'Authentication is required', 401);
  }

  private async fromSession(
    req: AuthedRequest,
    sessionId: string,
    userId: string,
    workspaceId: string,
    role: Role,
    expiresAt: Date,
  ): Promise<Principal> {
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.revokedAt || session.expiresAt <= this.clock.now() || session.userId !== userId || session.workspaceId !== workspaceId) {
      throw new AppError('session_revoked', 'The session has ended; sign in again', 401);
    }
    req[SESSION_REQUEST_KEY] = sessionId;
    req[CREDENTIAL_EXPIRY_KEY] = expiresAt;
    return { userId, workspaceId, role, kind: 'user' };
  }
}
