export { GatewayModule } from './gateway.module';
export { configureGatewayApp, UNPREFIXED_ROUTES } from './gateway-app';
export { CommandProxy } from './proxy/command-proxy.service';
export { CurrentPrincipal, principalOf } from './auth/current-principal.decorator';
export { MinRole, Public } from './auth/roles.decorator';
export type { Principal, Role } from './auth/principal';
export { MediaProxyModule } from './media-proxy/media-proxy.module';
