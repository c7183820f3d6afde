import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { AppError } from '@sx/service-kit';
import { PRINCIPAL_REQUEST_KEY, type RequestWithPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import type { AuditOutcome } from './audit.repository';
import { AuditService } from './audit.service';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function statusOf(err: unknown): number {
  if (err instanceof AppError) return err.status;
  if (err instanceof HttpException) return err.getStatus();
  return 500;
}

/** Actor of an anonymous call that signed someone in (setup, login): the user in its result. */
function actorFromResult(result: unknown): Principal | undefined {
  const user = (result as { user?: { id?: unknown; workspaceId?: unknown; role?: unknown } } | null)?.user;
  if (typeof user?.id !== 'string' || typeof user.workspaceId !== 'string') return undefined;
  return { userId: user.id, workspaceId: user.workspaceId, role: user.role as Principal['role'], kind: 'user' };
}

/**
 * One audit entry per mutating request that reached a handler: who, what (method + route
 * pattern), target (concrete path), when, from where, outcome and status. Role denials are
 * recorded by the guard, which runs before interceptors. The response waits for the entry.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & RequestWithPrincipal & { route?: { path?: string } }>();
    if (READ_METHODS.has(req.method)) return next.handle();
    const record = async (outcome: AuditOutcome, status: number, result?: unknown) => {
      const actor = req[PRINCIPAL_REQUEST_KEY] ?? actorFromResult(result);
      if (!actor) return;
      await this.audit.record({
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        actorKind: actor.kind,
        action: `${req.method} ${req.route?.path ?? req.path}`,
        target: req.originalUrl.split('?')[0].slice(0, 500),
        outcome,
        status,
        ip: req.ip ?? null,
        userAgent: req.get('user-agent') ?? null,
      });
    };
    return from(
      (async () => {
        try {
          const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
          await record('success', ctx.switchToHttp().getResponse<{ statusCode: number }>().statusCode, result);
          return result;
        } catch (err) {
          const status = statusOf(err);
          await record(status === 401 || status === 403 ? 'denied' : 'error', status);
          throw err;
        }
      })(),
    );
  }
}
