import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE_KEY, PublicRoute } from '@sx/service-kit';
import type { Role } from './principal';

export const MIN_ROLE_KEY = 'sx:min-role';
export const PUBLIC_KEY = PUBLIC_ROUTE_KEY;

/**
 * Least role a route needs; the global auth guard enforces it. Routes without it need 'viewer' for
 * reads (GET/HEAD) and 'editor' for anything that mutates, so a forgotten decorator never lets a viewer write.
 */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE_KEY, role);

/** The route needs no authentication (login, first-run setup, health). */
export const Public = PublicRoute;
