import { ArgumentsHost, Catch, Inject, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { mapError, sendError } from '@sx/service-kit';
import { MEDIA_LOGGER } from '../media.tokens';

/** HTTP errors of the media byte routes, in the one error shape (`correlationId` included); 500s reveal nothing. */
@Catch()
export class MediaHttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(MEDIA_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const mapped = mapError(error);
    if (mapped.internal !== undefined) {
      this.logger.error({ err: mapped.internal, path: req.path, correlationId: mapped.body.correlationId }, 'media route failed');
    }
    // The client may still be sending an oversized body; closing is cheaper than reading it.
    if (mapped.status === 413) res.setHeader('Connection', 'close');
    sendError(res, mapped);
  }
}
