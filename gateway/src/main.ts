import 'reflect-metadata';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { loadConfig } from '@sx/config';
import { createInfrastructure, rootModule } from '@sx/runtime';
import { createLogger, JsonLogger } from '@sx/service-kit';
import { configureGatewayApp, UNPREFIXED_ROUTES } from './gateway-app';
import { GatewayModule } from './gateway.module';
import { MediaProxyModule } from './media-proxy/media-proxy.module';

/** Distributed mode: the gateway alone, talking to the services over NATS, serving the dashboard build. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const infra = createInfrastructure(config, 'gateway');
  const dashboard = ServeStaticModule.forRoot({
    // dist/gateway/main.js → dist/dashboard/browser
    rootPath: path.resolve(__dirname, '..', 'dashboard', 'browser'),
    exclude: ['/api/{*path}', ...UNPREFIXED_ROUTES.map((r) => `/${r.path}`)],
  });
  const app = await NestFactory.create(rootModule(infra, [GatewayModule, MediaProxyModule.register(config), dashboard]), {
    bodyParser: false,
    logger: new JsonLogger(infra.logger),
  });
  configureGatewayApp(app);
  await app.listen(config.http.port, config.http.host);
  infra.logger.info({ port: config.http.port, host: config.http.host, mode: config.mode }, 'gateway listening');
}

bootstrap().catch((e: unknown) => {
  createLogger('gateway').fatal({ err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, 'gateway failed to start');
  process.exit(1);
});
