import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { errorResponse } from '../http/api-schemas';
import { jsonSchemaOf } from '../http/zod.pipe';

/**
 * The OpenAPI document of the routes mounted in `app`: the committed gateway/openapi.json (built from a
 * preview app) and the reference served at /api/docs (built from the running app) come from here.
 */
export function createGatewayDocument(app: INestApplication): OpenAPIObject {
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

export const API_DOCS_PATH = 'api/docs';

/**
 * Serves the API reference at /api/docs (Swagger UI from the swagger-ui-dist package, every asset from
 * this server: no CDN, so helmet's CSP `script-src 'self'` holds) and the document at /api/docs-json.
 * Public, like the document itself; the document is built on first request, once every route is mounted.
 */
export function serveApiDocs(app: INestApplication): void {
  let doc: OpenAPIObject | undefined;
  SwaggerModule.setup(API_DOCS_PATH, app, () => (doc ??= createGatewayDocument(app)), {
    useGlobalPrefix: false,
    raw: ['json'],
    customSiteTitle: 'SchedulerX API reference',
    swaggerOptions: { validatorUrl: null, persistAuthorization: false, tryItOutEnabled: false },
  });
}
