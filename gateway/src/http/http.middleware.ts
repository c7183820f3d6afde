import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Histogram, type Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { AppError, CLOCK, type Clock, createInputGuard, type InputGuard, METRICS, newCorrelationId, runWithCorrelation } from '@sx/service-kit';
import { MAX_PAGE_SIZE } from '../auth/auth.dto';
import { mapError, sendError } from './error-body';
import { checkJsonContentType } from './json-body';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * What every request passes first, in order: correlation id (x-correlation-id in and out, the
 * request runs inside runWithCorrelation), security headers, CORS from config, JSON-only bodies on
 * `/api` (415 otherwise), the shared input guard (clean UTF-8 URL, JSON body within the size cap and
 * depth limit, no NUL or lone surrogate in it), and the page-size cap on `?limit=`.
 */
@Injectable()
export class HttpMiddleware implements NestMiddleware {
  private readonly helmet = helmet({
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Protected media reaches <img>/<video> as object URLs (the bytes are fetched with the bearer
    // token, never put in a URL), so blob: is allowed for images and media; nothing else is widened.
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:'],
        'media-src': ["'self'", 'blob:'],
      },
    },
  });
  private readonly input: InputGuard;
  private readonly origins: Set<string>;
  private readonly duration: Histogram;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) metrics: Registry,
  ) {
    this.duration =
      (metrics.getSingleMetric('sx_gateway_http_request_duration_seconds') as Histogram | undefined) ??
      new Histogram({
        name: 'sx_gateway_http_request_duration_seconds',
        help: 'HTTP requests by method, route pattern and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [metrics],
      });
    this.input = createInputGuard({ maxBodyBytes: config.auth.maxBodyBytes });
    // '*' is never honoured: credentials are allowed, so origins are listed one by one.
    this.origins = new Set(config.auth.corsOrigins.filter((o) => o !== '*'));
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.get(CORRELATION_HEADER);
    const correlationId = incoming && SAFE_ID.test(incoming) ? incoming : newCorrelationId();
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = this.clock.nowMs();
    res.on('finish', () => {
      // The route pattern, never the concrete path, so ids do not explode the label set.
      const route = (req as Request & { route?: { path?: string } }).route?.path ?? 'unmatched';
      this.duration.observe({ method: req.method, route, status: String(res.statusCode) }, (this.clock.nowMs() - started) / 1000);
    });
    runWithCorrelation(correlationId, () => {
      const fail = (err: unknown) => sendError(res, mapError(err));
      this.helmet(req, res, (helmetErr?: unknown) => {
        if (helmetErr) return fail(helmetErr);
        if (!this.cors(req, res)) return;
        const typeError = checkJsonContentType(req);
        if (typeError) return fail(typeError);
        this.input(req, res, (inputErr?: unknown) => {
          if (inputErr) return fail(inputErr);
          const pageError = checkPageSize(req);
          if (pageError) return fail(pageError);
          next();
        });
      });
    });
  }

  /** Returns false when the request was answered here (a preflight). */
  private cors(req: Request, res: Response): boolean {
    const origin = req.get('origin');
    const allowed = origin !== undefined && this.origins.has(origin);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'x-correlation-id, Retry-After, RateLimit-Remaining');
      res.append('Vary', 'Origin');
    }
    if (req.method !== 'OPTIONS' || !req.get('access-control-request-method')) return true;
    if (!allowed) {
      sendError(res, mapError(new AppError('cors_denied', 'This origin is not allowed', 403)));
      return false;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-API-Key, X-Correlation-Id, Last-Event-ID');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return false;
  }
}

function checkPageSize(req: Request): AppError | undefined {
  const limit = req.query['limit'];
  if (limit === undefined) return undefined;
  const n = typeof limit === 'string' && /^\d{1,6}$/.test(limit) ? Number(limit) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= MAX_PAGE_SIZE) return undefined;
  return new AppError('page_size_invalid', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, 422, {
    max: MAX_PAGE_SIZE,
  });
}
