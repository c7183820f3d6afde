import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const MIN_ROLE_KEY = 'sx:min-role';
export const PUBLIC_KEY = 'sx:public';

/**
 * Least role a route needs; the global auth guard enforces it. Routes without it need 'viewer' for
 * reads (GET/HEAD) and 'editor' for anything that mutates, so a forgotten decorator never lets a viewer write.
 */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE_KEY, role);

/** The route needs no authentication (login, first-run setup, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
