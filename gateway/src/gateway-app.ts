import { RequestMethod, type INestApplication } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { answerClientErrorsInErrorShape } from '@sx/service-kit';
import { HttpMiddleware } from './http/http.middleware';
import { mediaAlias } from './http/media-alias';
import { serveApiDocs } from './openapi/gateway-document';

/** Paths served outside `/api`: probes, metrics, media bytes, presigned objects, and /api/health (see HealthController). */
export const UNPREFIXED_ROUTES = [
  { path: 'health', method: RequestMethod.GET },
  { path: 'ready', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
  { path: 'api/health', method: RequestMethod.GET },
  { path: 'media/*path', method: RequestMethod.ALL },
  { path: 'storage/objects/*path', method: RequestMethod.ALL },
];

/**
 * Prepares a Nest app that contains GatewayModule. Create the app with `{ bodyParser: false }`:
 * the gateway parses JSON itself (size cap from config, errors in the API's error shape).
 * Call before `app.init()` / `app.listen()`.
 */
export function configureGatewayApp(app: INestApplication): void {
  const { trustProxy } = app.get<AppConfig>(APP_CONFIG, { strict: false }).http;
  if (trustProxy) {
    // Client address (rate limits, audit "from where") comes from X-Forwarded-For only via these proxies.
    const value = /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy.split(',').map((s) => s.trim());
    (app.getHttpAdapter().getInstance() as { set(key: string, value: unknown): void }).set('trust proxy', value);
  }
  answerClientErrorsInErrorShape(app.getHttpServer());
  const http = app.get(HttpMiddleware, { strict: false });
  app.use(mediaAlias);
  app.use(http.use.bind(http));
  app.setGlobalPrefix('api', { exclude: UNPREFIXED_ROUTES });
  serveApiDocs(app);
  app.enableShutdownHooks();
}
