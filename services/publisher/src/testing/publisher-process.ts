/*
 * Runs the publisher alone in this process (JetStream bus, Postgres from SX_DATABASE_URL) with no
 * HTTP listener: used by the crash test (killed with SIGKILL mid-publish) and by bench/publisher.
 * argv[2] = JetStream namespace ('' in production). Prints "ready" on stdout once consuming.
 */
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { BusModule, EVENT_BUS, JetStreamEventBus } from '@sx/bus';
import { loadConfig } from '@sx/config';
import { CoreModule, createLogger, createMetricsRegistry, JsonLogger, systemClock } from '@sx/service-kit';
import { createObjectStorage, OBJECT_STORAGE } from '@sx/storage';
import { PublisherModule } from '../publisher.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const namespace = process.argv[2] ?? '';
  const bus = new JetStreamEventBus({
    servers: config.bus.natsUrl,
    namespace,
    replicas: 1,
    duplicateWindowMs: config.bus.duplicateWindowMs,
    maxDeliver: config.bus.maxDeliver,
    requestTimeoutMs: config.bus.requestTimeoutMs,
    retryBackoffMs: () => 100,
    name: `publisher-test-${process.pid}`,
    logger: createLogger('bus', config.logLevel),
  });
  @Module({
    imports: [
      CoreModule.forRoot({ config, clock: systemClock, metrics: createMetricsRegistry(), providers: [
        { provide: EVENT_BUS, useValue: bus },
        // Media bytes (SX_DATA_DIR/objects on disk), so media posts can be published from this process too.
        { provide: OBJECT_STORAGE, useValue: createObjectStorage(config.storage) },
      ] }),
      BusModule,
      PublisherModule,
    ],
  })
  class PublisherProcessModule {}
  const app = await NestFactory.createApplicationContext(PublisherProcessModule, { logger: new JsonLogger(createLogger('nest', config.logLevel)) });
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write('ready\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
