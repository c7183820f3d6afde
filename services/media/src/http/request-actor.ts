import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError } from '@sx/service-kit';
import type { IngestActor } from '../ports';

/** The property the gateway's auth guard sets in embedded mode (gateway/src/auth/current-principal.decorator.ts). */
const PRINCIPAL_KEY = 'sxPrincipal';
type Role = 'admin' | 'editor' | 'viewer';

export interface HttpActor extends IngestActor {
  role: Role;
}

interface PrincipalLike {
  userId: string;
  workspaceId: string;
  role: Role;
}

/**
 * Who is calling a byte route. Embedded: the principal the gateway guard put on the request.
 * Distributed: the gateway proxies with `x-sx-workspace-id` / `x-sx-actor-id` / `x-sx-role`
 * (trusted only when `trustGatewayHeaders`, i.e. the service is reachable from the gateway alone).
 */
export function resolveActor(req: IncomingMessage, trustGatewayHeaders: boolean): HttpActor {
  const correlationId = header(req, 'x-correlation-id') ?? randomUUID();
  const principal = (req as unknown as Record<string, PrincipalLike | undefined>)[PRINCIPAL_KEY];
  if (principal?.workspaceId) {
    return { workspaceId: principal.workspaceId, actorId: principal.userId, role: principal.role, correlationId };
  }
  if (trustGatewayHeaders) {
    const workspaceId = header(req, 'x-sx-workspace-id');
    const actorId = header(req, 'x-sx-actor-id');
    const role = header(req, 'x-sx-role');
    if (workspaceId && actorId && (role === 'admin' || role === 'editor' || role === 'viewer')) {
      return { workspaceId, actorId, role, correlationId };
    }
  }
  throw new AppError('unauthenticated', 'Authentication is required', 401);
}

export function requireEditor(actor: HttpActor): HttpActor {
  if (actor.role === 'viewer') throw new AppError('forbidden', 'Uploading needs the editor role', 403);
  return actor;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length <= 200 ? s : undefined;
}
