import type { Logger } from 'pino';
import { createLogger } from '@sx/service-kit';
import type { AppConfig } from '@sx/config';

/** The gateway's pino logger (secrets redacted by service-kit, correlation id mixed in). */
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');

export const gatewayLoggerFactory = (config: AppConfig): Logger => createLogger('gateway', config.logLevel);
