import type { Logger } from 'pino';
import { createLogger } from '@sx/service-kit';
import type { AppConfig } from '@sx/config';

/** The gateway's pino logger (secrets redacted by service-kit, correlation id mixed in). */
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');

export const gatewayLoggerFactory = (config: AppConfig): Logger => createLogger('gateway', config.logLevel);

/**
 * What of an error may reach a log line: name, message, code and stack. Driver errors carry more
 * (TypeORM's QueryFailedError holds the query parameters, i.e. hashes and e-mails): never logged.
 */
export function loggableError(e: unknown): { name: string; message: string; code?: string; stack?: string } {
  if (!(e instanceof Error)) return { name: 'NonError', message: String(e).slice(0, 500) };
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined, stack: e.stack };
}
