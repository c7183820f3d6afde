import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { GatewayDb } from '../db/gateway-db';
import { AccessTokenService } from './access-token.service';
import type { Principal, Role } from './principal';
import { SSE_TICKET_TYPE } from './token-claims';

/** Marks a route (only GET /api/events) that accepts `?ticket=` because EventSource cannot send headers. */
export const SSE_TICKET_KEY = 'sx:sse-ticket';
export const AllowSseTicket = () => SetMetadata(SSE_TICKET_KEY, true);

/** Tickets live 30 s and are single-use: long enough to open the stream, useless once logged. */
export const SSE_TICKET_TTL_S = 30;
/** Spent tickets are forgotten this long after they expire (clock skew between replicas), at most once a minute. */
const FORGET_AFTER_MS = 10_000;
const FORGET_EVERY_MS = 60_000;

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
 * Spent tickets are kept in the database, so a ticket redeemed at one replica is refused at every other.
 */
@Injectable()
export class SseTicketService {
  private forgottenAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tokens: AccessTokenService,
    private readonly db: GatewayDb,
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
    await this.forgetExpired(this.clock.nowMs());
    const spent = await this.db.query<{ jti: string }>(
      `INSERT INTO gateway.spent_sse_tickets (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING RETURNING jti`,
      [claims.jti, new Date(claims.exp * 1000)],
    );
    if (spent.length === 0) throw new AppError('invalid_ticket', 'The SSE ticket was already used', 401);
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

  private async forgetExpired(nowMs: number): Promise<void> {
    if (nowMs - this.forgottenAt < FORGET_EVERY_MS) return;
    this.forgottenAt = nowMs;
    await this.db.query(`DELETE FROM gateway.spent_sse_tickets WHERE expires_at < $1`, [new Date(nowMs - FORGET_AFTER_MS)]);
  }
}
