import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@sx/config';
import { createEventBus, EVENT_BUS } from '@sx/bus';
import { CoreModule, createMetricsRegistry, systemClock } from '@sx/service-kit';
import { UNPREFIXED_ROUTES } from '../gateway-app';
import { GatewayModule } from '../gateway.module';
import { createGatewayDocument } from './gateway-document';

@Module({})
class OpenApiRootModule {}

/**
 * The OpenAPI document of every gateway route (its own and the services' route modules), built
 * from the code. The app is created in preview mode: the module graph is read, no provider is
 * instantiated, so no database or bus connection is opened.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({});
  const root: DynamicModule = {
    module: OpenApiRootModule,
    imports: [
      CoreModule.forRoot({
        config,
        clock: systemClock,
        metrics: createMetricsRegistry(),
        providers: [{ provide: EVENT_BUS, useValue: createEventBus(config.bus) }],
      }),
      GatewayModule,
    ],
  };
  const app = await NestFactory.create(root, { preview: true, logger: false, abortOnError: false });
  app.setGlobalPrefix('api', { exclude: UNPREFIXED_ROUTES });
  const doc = createGatewayDocument(app);
  await app.close();
  return doc;
}

/** The committed form: stable key order is Nest's; two-space JSON with a final newline. */
export function serializeOpenApi(doc: OpenAPIObject): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
