import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { GATEWAY_LOGGER, loggableError } from './gateway-logger';
import { mapError, sendError } from './error-body';

/** Every error of every HTTP route, including unmatched routes (404), in the one error shape. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(GATEWAY_LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const mapped = mapError(err);
    if (mapped.internal !== undefined) {
      this.logger.error({ err: loggableError(mapped.internal), correlationId: mapped.body.correlationId }, 'unhandled error');
    }
    sendError(host.switchToHttp().getResponse<Response>(), mapped);
  }
}
