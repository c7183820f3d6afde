import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@sx/config';
import { createEventBus, EVENT_BUS } from '@sx/bus';
import { CoreModule, createMetricsRegistry, systemClock } from '@sx/service-kit';
import { UNPREFIXED_ROUTES } from '../gateway-app';
import { errorResponse } from '../http/api-schemas';
import { jsonSchemaOf } from '../http/zod.pipe';
import { GatewayModule } from '../gateway.module';

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
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SchedulerX API')
      .setDescription(
        'Errors are `{ code, message, details?, correlationId }`. Authenticate with `Authorization: Bearer <access token or API key>`; ' +
          'SSE at /api/events takes a single-use `?ticket=` from POST /api/events/ticket.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  await app.close();
  return withErrorResponses(doc);
}

/** Every operation documents the shared error shape as its default response. */
function withErrorResponses(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Error: jsonSchemaOf(errorResponse, 'output') } };
  const ref = { description: 'Error `{ code, message, details?, correlationId }`', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op) op.responses = { ...op.responses, default: ref };
    }
  }
  return doc;
}

/** The committed form: stable key order is Nest's; two-space JSON with a final newline. */
export function serializeOpenApi(doc: OpenAPIObject): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
