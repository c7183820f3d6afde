import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { AccessTokenService } from './access-token.service';
import type { Principal, Role } from './principal';
import { SSE_TICKET_TYPE } from './token-claims';

/** Marks a route (only GET /api/events) that accepts `?ticket=` because EventSource cannot send headers. */
export const SSE_TICKET_KEY = 'sx:sse-ticket';
export const AllowSseTicket = () => SetMetadata(SSE_TICKET_KEY, true);

/** Tickets live 30 s and are single-use: long enough to open the stream, useless once logged. */
export const SSE_TICKET_TTL_S = 30;

export interface RedeemedTicket {
  kind: Principal['kind'];
  userId: string;
  workspaceId: string;
  role: Role;
  /** Session id for users, key id for API keys. */
  sessionId: string;
  /** When the credential the ticket was bought with expires; the stream closes then. */
  expiresAt: Date;
}

/**
 * SSE authentication. We chose short-lived single-use tickets over `?access_token=`: a URL ends up
 * in proxy and access logs, and a ticket found there is already spent or expired. A ticket is a JWT
 * signed like an access token but with its own `typ` and audience, so neither can stand in for the other.
 */
@Injectable()
export class SseTicketService {
  private readonly spent = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tokens: AccessTokenService,
  ) {}

  private get kind() {
    return { typ: SSE_TICKET_TYPE, audience: `${this.config.auth.audience}:sse`, ttlS: SSE_TICKET_TTL_S };
  }

  async issue(principal: Principal, sessionId: string, credentialExpiresAt: Date): Promise<{ ticket: string; expiresAt: string }> {
    // The credential's own expiry rides in the ticket, so the stream it opens closes when the credential would.
    const { token, expiresAt } = await this.tokens.sign(
      { userId: principal.userId, workspaceId: principal.workspaceId, role: principal.role, sessionId },
      this.kind,
      { knd: principal.kind, cexp: Math.floor(credentialExpiresAt.getTime() / 1000) },
    );
    return { ticket: token, expiresAt: expiresAt.toISOString() };
  }

  async redeem(ticket: string): Promise<RedeemedTicket> {
    const claims = await this.tokens.verify(ticket, this.kind);
    const extra = decodeJwt(ticket);
    const nowMs = this.clock.nowMs();
    this.forgetExpired(nowMs);
    if (this.spent.has(claims.jti)) throw new AppError('invalid_ticket', 'The SSE ticket was already used', 401);
    this.spent.set(claims.jti, claims.exp * 1000);
    const cexp = typeof extra['cexp'] === 'number' ? extra['cexp'] * 1000 : claims.exp * 1000;
    return {
      kind: extra['knd'] === 'api-key' ? 'api-key' : 'user',
      userId: claims.sub,
      workspaceId: claims.wid,
      role: claims.role,
      sessionId: claims.sid,
      expiresAt: new Date(cexp),
    };
  }

  private forgetExpired(nowMs: number): void {
    for (const [jti, exp] of this.spent) if (exp + 10_000 < nowMs) this.spent.delete(jti);
  }
}
