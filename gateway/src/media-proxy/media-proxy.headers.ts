import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/principal';

/** Headers that describe one hop only (RFC 9110 §7.6.1) and never cross the proxy. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Caller credentials stay at the gateway: media trusts the x-sx-* identity headers instead. */
const CREDENTIALS = new Set(['authorization', 'x-api-key', 'cookie']);

/** The identity headers media trusts in distributed mode (services/media/src/http/request-actor.ts). */
export const IDENTITY_HEADERS = {
  workspaceId: 'x-sx-workspace-id',
  actorId: 'x-sx-actor-id',
  role: 'x-sx-role',
} as const;

export interface ForwardContext {
  principal?: Principal;
  correlationId?: string;
  clientIp?: string;
  /** Protocol and host the client used (for URLs media builds). */
  proto: string;
  host?: string;
}

function connectionTokens(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Set<string> {
  const raw = headers['connection'];
  const list = Array.isArray(raw) ? raw.join(',') : String(raw ?? '');
  return new Set(list.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/**
 * What the gateway sends to media: the client's headers minus hop-by-hop ones, credentials and every
 * client-sent `x-sx-*` header (a client must never choose its own identity), plus the identity of the
 * authenticated principal and the usual forwarding headers.
 */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, ctx: ForwardContext): OutgoingHttpHeaders {
  const dropped = connectionTokens(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    const key = name.toLowerCase();
    if (value === undefined || key === 'host' || HOP_BY_HOP.has(key) || dropped.has(key)) continue;
    if (CREDENTIALS.has(key) || key.startsWith('x-sx-') || key.startsWith('x-forwarded-')) continue;
    out[key] = value;
  }
  if (ctx.principal) {
    out[IDENTITY_HEADERS.workspaceId] = ctx.principal.workspaceId;
    out[IDENTITY_HEADERS.actorId] = ctx.principal.userId;
    out[IDENTITY_HEADERS.role] = ctx.principal.role;
  }
  if (ctx.correlationId) out['x-correlation-id'] = ctx.correlationId;
  if (ctx.clientIp) out['x-forwarded-for'] = ctx.clientIp;
  out['x-forwarded-proto'] = ctx.proto;
  if (ctx.host) out['x-forwarded-host'] = ctx.host;
  return out;
}

/**
 * What the gateway returns to the client: media's headers minus hop-by-hop ones; an absolute
 * `Location` pointing at media itself is made relative so the client keeps talking to the gateway.
 */
export function downstreamResponseHeaders(incoming: IncomingHttpHeaders, mediaOrigin: string): OutgoingHttpHeaders {
  const dropped = connectionTokens(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    const key = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(key) || dropped.has(key)) continue;
    out[key] = value;
  }
  const location = out['location'];
  if (typeof location === 'string' && location.startsWith(`${mediaOrigin}/`)) {
    out['location'] = location.slice(mediaOrigin.length);
  }
  return out;
}
