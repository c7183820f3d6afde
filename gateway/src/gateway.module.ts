import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { createOutboxMigration } from '@sx/bus';
import { PersistenceModule } from '@sx/persistence';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AccessTokenService } from './auth/access-token.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { JwtKeysService } from './auth/jwt-keys.service';
import { PasswordService } from './auth/password.service';
import { SessionEvents } from './auth/session-events.service';
import { SessionsRepository } from './auth/sessions.repository';
import { SseTicketService } from './auth/sse-ticket.service';
import { GATEWAY_SCHEMA, GatewayDb } from './db/gateway-db';
import { GatewayInit1732300000000 } from './db/migrations/1732300000000-gateway-init';
import { SpentSseTickets1764000000000 } from './db/migrations/1764000000000-spent-sse-tickets';
import { RateWindows1764000000001 } from './db/migrations/1764000000001-rate-windows';
import { EventHub } from './events/event-hub.service';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { LogsController } from './logs/logs.controller';
import { LogsService } from './logs/logs.service';
import { HttpErrorFilter } from './http/error.filter';
import { GATEWAY_LOGGER, gatewayLoggerFactory } from './http/gateway-logger';
import { HttpMiddleware } from './http/http.middleware';
import { RateLimiterService } from './http/rate-limiter.service';
import { SharedRateCounter } from './http/shared-rate-counter';
import { FailedAuthBudget } from './auth/failed-auth-budget';
import { CommandProxy } from './proxy/command-proxy.service';
import { GATEWAY_ROUTE_MODULES } from './routes/route-modules';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';
import { GatewayLifecycle } from './gateway.lifecycle';

/**
 * The gateway: auth (users, sessions, API keys, roles), audit log, SSE, aggregated health, and the
 * service route modules under routes/. Needs CoreModule's globals (APP_CONFIG, CLOCK, METRICS,
 * HealthRegistry, EVENT_BUS) and an app prepared with `configureGatewayApp` (see gateway-app.ts).
 */
@Module({
  imports: [
    PersistenceModule.forService({
      schema: GATEWAY_SCHEMA,
      entities: [],
      migrations: [GatewayInit1732300000000, createOutboxMigration(GATEWAY_SCHEMA), SpentSseTickets1764000000000, RateWindows1764000000001],
    }),
    ...GATEWAY_ROUTE_MODULES,
  ],
  controllers: [AuthController, UsersController, ApiKeysController, AuditController, EventsController, HealthController, LogsController],
  providers: [
    { provide: GATEWAY_LOGGER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => gatewayLoggerFactory(config) },
    GatewayDb,
    GatewayLifecycle,
    JwtKeysService,
    AccessTokenService,
    PasswordService,
    SessionEvents,
    SessionsRepository,
    UsersRepository,
    AuthService,
    UsersService,
    ApiKeysRepository,
    ApiKeysService,
    SseTicketService,
    AuditRepository,
    AuditService,
    RateLimiterService,
    SharedRateCounter,
    FailedAuthBudget,
    EventHub,
    LogsService,
    CommandProxy,
    HttpMiddleware,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
  exports: [CommandProxy],
})
export class GatewayModule {}
