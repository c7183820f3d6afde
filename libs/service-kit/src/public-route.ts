import { SetMetadata } from '@nestjs/common';

/** Metadata the gateway's global auth guard reads: the route needs no session. */
export const PUBLIC_ROUTE_KEY = 'sx:public';

/**
 * Marks a route (or a whole controller) as needing no session. Lives here, not in the gateway, because
 * in embedded mode a service's own controller (e.g. disk presigned URLs, whose signature is the
 * credential) is mounted behind the gateway's guard.
 */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE_KEY, true);
