import { Inject, Injectable, Module, type DynamicModule, type INestApplication, type OnModuleInit, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule } from '@sx/bus';
import { loadConfig, type AppConfig } from '@sx/config';
import { answerClientErrorsInErrorShape, CoreModule, createInputGuard, HealthRegistry, JsonLogger, mapError, sendError } from '@sx/service-kit';
import type { Response } from 'express';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import { createInfrastructure, type Infrastructure } from './infrastructure';
import { SERVICE_NAME, ServiceHealthResponder } from './service-health.responder';
import { ServiceLogsResponder } from './service-logs.responder';

/** Registers the object store's readiness check (the bus and each database register their own). */
@Injectable()
class StorageHealth implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  onModuleInit(): void {
    this.health.register('storage', 'storage', () => this.storage.health());
  }
}

/** Root module of a process: CoreModule (global infra + /health /ready /metrics), the bus wiring, the features. */
export function rootModule(infra: Infrastructure, features: (Type | DynamicModule)[]): Type {
  @Module({
    providers: [StorageHealth],
    imports: [
      CoreModule.forRoot({ config: infra.config, clock: infra.clock, metrics: infra.metrics, providers: infra.providers }),
      BusModule,
      ...features,
    ],
  })
  class RootModule {}
  return RootModule;
}

/**
 * Distributed-mode entry of one service: parse config, build its infrastructure, serve
 * /health, /ready and /metrics on SX_PORT behind the shared input guard, and shut down cleanly on SIGTERM.
 */
export async function bootstrapService(
  name: string,
  feature: Type | DynamicModule,
  config: AppConfig = loadConfig(),
): Promise<INestApplication> {
  const infra = createInfrastructure(config, name);
  @Module({ providers: [{ provide: SERVICE_NAME, useValue: name }, ServiceHealthResponder, ServiceLogsResponder] })
  class HealthCommandModule {}
  const app = await NestFactory.create(rootModule(infra, [feature, HealthCommandModule]), { bodyParser: false, logger: new JsonLogger(infra.logger) });
  // The same input guard as the gateway's: a service reached directly never sees NUL, lone surrogates or deep JSON.
  const guard = createInputGuard({ maxBodyBytes: config.auth.maxBodyBytes });
  app.use((req: never, res: Response, next: () => void) => guard(req, res, (err) => (err ? sendError(res, mapError(err)) : next())));
  answerClientErrorsInErrorShape(app.getHttpServer());
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  infra.logger.info({ port: config.http.port, mode: config.mode }, `${name} started`);
  return app;
}
