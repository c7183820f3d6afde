import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError } from '@sx/service-kit';
import type { Principal } from './principal';

/** The request property the global auth guard sets once the caller is authenticated. */
export const PRINCIPAL_REQUEST_KEY = 'sxPrincipal';

export interface RequestWithPrincipal {
  [PRINCIPAL_REQUEST_KEY]?: Principal;
}

/** Reads the principal from a request; throws 401 when the guard did not set one. */
export function principalOf(req: RequestWithPrincipal): Principal {
  const principal = req[PRINCIPAL_REQUEST_KEY];
  if (!principal) throw new AppError('unauthenticated', 'Authentication is required', 401);
  return principal;
}

/**
 * Injects the authenticated caller (`Principal`: userId, workspaceId, role, kind) into a route handler:
 * `list(@CurrentPrincipal() p: Principal)`. Routes marked `@Public()` have no principal and must not use it.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal =>
    principalOf(ctx.switchToHttp().getRequest<RequestWithPrincipal>()),
);
