import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from '@sx/config';
import { createEventBus, EVENT_BUS, type EventBus } from '@sx/bus';
import { createObjectStorage, OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import { createLogger, createMetricsRegistry, fileOffsetClock, systemClock, type Clock } from '@sx/service-kit';

export interface Infrastructure {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  metrics: Registry;
  bus: EventBus;
  storage: ObjectStorage;
  /** Providers handed to CoreModule so every service module can inject them. */
  providers: Provider[];
}

/**
 * The process-wide parts every service shares: logger, metrics, clock, bus and object storage,
 * chosen by configuration (in-process bus + disk in embedded mode; JetStream + S3 when configured).
 */
export function createInfrastructure(config: AppConfig, name: string): Infrastructure {
  const logger = createLogger(name, config.logLevel);
  // The chaos harness steps one process's wall clock through this test-only file (README: SX_TEST_CLOCK_OFFSET_FILE).
  const clock = config.testClockOffsetFile ? fileOffsetClock(config.testClockOffsetFile) : systemClock;
  const metrics = createMetricsRegistry({ service: name });
  const bus = createEventBus(config.bus, { clock, name: `schedulerx-${name}`, logger: logger.child({ component: 'bus' }), databaseUrl: config.database.url });
  const storage = createObjectStorage(config.storage);
  return {
    config,
    clock,
    logger,
    metrics,
    bus,
    storage,
    providers: [
      { provide: EVENT_BUS, useValue: bus },
      { provide: OBJECT_STORAGE, useValue: storage },
    ],
  };
}
