import type { BusConfig } from '@sx/config';
import type { Clock } from '@sx/service-kit';
import type { EventBus } from './event-bus';
import type { BusLogger } from './core/logger';
import type { Timers } from './core/timers';
import { InProcessEventBus } from './in-process/in-process-event-bus';
import { JetStreamEventBus } from './jetstream/jetstream-event-bus';
import { PostgresEventBus } from './postgres/postgres-event-bus';

export interface CreateEventBusOptions {
  clock?: Clock;
  logger?: BusLogger;
  /** Only the in-process driver uses injected timers; JetStream delays run on the server. */
  timers?: Timers;
  /** Stream/subject prefix for the JetStream driver ('' in production). */
  namespace?: string;
  /** Connection name shown by nats-server / application_name in PostgreSQL. */
  name?: string;
  /** The postgres driver's database (embedded mode: the embedded PostgreSQL). */
  databaseUrl?: string;
}

/** Builds (but does not start) the bus the configuration asks for. */
export function createEventBus(config: BusConfig, opts: CreateEventBusOptions = {}): EventBus {
  if (config.driver === 'jetstream') {
    return new JetStreamEventBus({
      servers: config.natsUrl,
      namespace: opts.namespace ?? '',
      replicas: config.replicas,
      duplicateWindowMs: config.duplicateWindowMs,
      maxDeliver: config.maxDeliver,
      requestTimeoutMs: config.requestTimeoutMs,
      clock: opts.clock,
      logger: opts.logger,
      name: opts.name,
    });
  }
  if (config.driver === 'postgres') {
    return new PostgresEventBus({
      databaseUrl: opts.databaseUrl ?? '',
      namespace: opts.namespace ?? '',
      duplicateWindowMs: config.duplicateWindowMs,
      maxDeliver: config.maxDeliver,
      requestTimeoutMs: config.requestTimeoutMs,
      clock: opts.clock,
      logger: opts.logger,
      timers: opts.timers,
      name: opts.name,
    });
  }
  return new InProcessEventBus({
    duplicateWindowMs: config.duplicateWindowMs,
    maxDeliver: config.maxDeliver,
    requestTimeoutMs: config.requestTimeoutMs,
    clock: opts.clock,
    logger: opts.logger,
    timers: opts.timers,
  });
}
