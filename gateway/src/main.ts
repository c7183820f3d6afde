import 'reflect-metadata';
import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { loadConfig } from '@sx/config';
import { createEventBus, EVENT_BUS } from '@sx/bus';
import { CoreModule, createLogger, createMetricsRegistry, JsonLogger, systemClock } from '@sx/service-kit';
import { configureGatewayApp } from './gateway-app';
import { GatewayModule } from './gateway.module';

@Module({})
class GatewayAppModule {}

/** Distributed mode: the gateway alone, talking to the services over NATS, serving the dashboard build. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('gateway', config.logLevel);
  const bus = createEventBus(config.bus, { name: 'gateway' });
  await bus.start();
  const root: DynamicModule = {
    module: GatewayAppModule,
    imports: [
      CoreModule.forRoot({
        config,
        clock: systemClock,
        metrics: createMetricsRegistry({ service: 'gateway' }),
        providers: [
          { provide: EVENT_BUS, useValue: bus },
          { provide: 'SX_BUS_CLOSER', useValue: { onApplicationShutdown: () => bus.close() } },
        ],
      }),
      GatewayModule,
      ServeStaticModule.forRoot({
        rootPath: path.resolve(__dirname, '..', 'dashboard', 'browser'),
        exclude: ['/api/{*path}', '/media/{*path}', '/health', '/ready', '/metrics'],
      }),
    ],
  };
  const app = await NestFactory.create(root, { bodyParser: false, logger: new JsonLogger(logger) });
  configureGatewayApp(app);
  await app.listen(config.http.port, config.http.host);
  logger.info({ port: config.http.port, host: config.http.host }, 'gateway listening');
}

bootstrap().catch((e: unknown) => {
  createLogger('gateway').fatal({ err: e }, 'gateway failed to start');
  process.exit(1);
});
