import { ArgumentsHost, Catch, HttpException, Inject, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '@sx/service-kit';
import { MEDIA_LOGGER } from '../media.tokens';

/** HTTP errors of the media byte routes: `{ code, message, details?, correlationId }`; 500s reveal nothing. */
@Catch()
export class MediaHttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(MEDIA_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const correlationId = String(req.headers['x-correlation-id'] ?? '') || undefined;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof AppError) {
      if (error.status === 413) res.setHeader('Connection', 'close');
      res.status(error.status).json({ code: error.code, message: error.message, details: error.details, correlationId });
      return;
    }
    if (error instanceof HttpException) {
      res.status(error.getStatus()).json({ code: 'http_error', message: error.message, correlationId });
      return;
    }
    this.logger.error({ err: error, path: req.path, correlationId }, 'media route failed');
    res.status(500).json({ code: 'internal_error', message: 'The media service failed', correlationId });
  }
}
