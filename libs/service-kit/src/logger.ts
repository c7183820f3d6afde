import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { currentCorrelationId } from './correlation';
import { processLogRing, type LogRing } from './log-ring';

/** Keys whose values never reach a log line, at any depth we log. */
export const REDACTED_KEYS = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'credentials',
  'clientSecret',
  'appPassword',
];

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);

/**
 * Every line goes to `destination` (default: stdout, asynchronously, as pino does by itself) and to
 * this process's log ring (the dashboard's Logs panel reads it).
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream, ring: LogRing = processLogRing): Logger {
  const out = destination ?? pino.destination({ dest: 1, sync: false });
  const tee = {
    write(line: string) {
      out.write(line);
      ring.write(line);
    },
    flush(cb?: (err?: Error) => void) {
      const f = (out as { flush?: (cb?: (err?: Error) => void) => void }).flush;
      if (f) f.call(out, cb);
      else cb?.();
    },
  };
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    tee,
  );
}

/** Nest's LoggerService over pino, so framework messages are structured JSON too. */
export class JsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
