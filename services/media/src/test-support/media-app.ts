import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BusModule, EVENT_BUS, InProcessEventBus, type EventBus } from '@sx/bus';
import { loadConfig, type AppConfig } from '@sx/config';
import type { CommandContext, Envelope } from '@sx/contracts';
import { DiskObjectStorage, OBJECT_STORAGE, S3ObjectStorage, type ObjectStorage } from '@sx/storage';
import { CoreModule, createMetricsRegistry } from '@sx/service-kit';
import { createTestDatabase, startS3Server, type TestDatabase, type TestS3Server } from '@sx/testing';
import { MediaModule } from '../media.module';

export interface MediaTestApp {
  app: INestApplication;
  bus: EventBus;
  storage: ObjectStorage;
  /** Root folder of the default disk storage (undefined when a storage was passed in). */
  storageRoot?: string;
  config: AppConfig;
  /** Every event the outbox relay published on the bus. */
  published: Envelope[];
  headers(workspaceId: string, role?: CommandContext['role']): Record<string, string>;
  ctx(workspaceId: string, role?: CommandContext['role']): CommandContext;
  close(): Promise<void>;
}

/**
 * The media module as the distributed entry composes it (CoreModule + BusModule + MediaModule), on a
 * fresh Postgres database, the in-process bus and the real disk object storage. Distributed mode, so the
 * byte routes take the caller from the gateway's `x-sx-*` headers.
 */
export async function createMediaTestApp(
  env: Record<string, string> = {},
  storageOverride?: ObjectStorage,
  busOverride?: EventBus,
): Promise<MediaTestApp> {
  const db: TestDatabase = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sx-media-app-'));
  const config = loadConfig({ SX_MODE: 'distributed', SX_DATABASE_URL: db.url, SX_DATA_DIR: dataDir, SX_LOG_LEVEL: 'silent', ...env });
  const bus = busOverride ?? new InProcessEventBus();
  const storageRoot = storageOverride ? undefined : path.join(dataDir, 'objects');
  const storage = storageOverride ?? await DiskObjectStorage.open({ root: storageRoot as string, presignBaseUrl: '/storage/objects' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot({
        config,
        clock: { now: () => new Date(), nowMs: () => Date.now() },
        metrics: createMetricsRegistry(),
        providers: [
          { provide: EVENT_BUS, useValue: bus },
          { provide: OBJECT_STORAGE, useValue: storage },
        ],
      }),
      BusModule,
      MediaModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const published: Envelope[] = [];
  await bus.tail('media.>', (e) => published.push(e));
  return {
    app,
    bus,
    storage,
    storageRoot,
    config,
    published,
    headers: (workspaceId, role = 'editor') => ({ 'x-sx-workspace-id': workspaceId, 'x-sx-actor-id': 'user-1', 'x-sx-role': role }),
    ctx: (workspaceId, role = 'editor') => ({ workspaceId, actorId: 'user-1', role, correlationId: 'corr-test' }),
    async close() {
      await app.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The media test app over a bucket of a fresh s3rver (S3 mode); `close` also stops the server. */
export async function createS3MediaTestApp(): Promise<MediaTestApp & { s3: TestS3Server }> {
  const s3 = await startS3Server();
  try {
    const storage = await S3ObjectStorage.connect({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKey: s3.accessKey, secretKey: s3.secretKey });
    const t = await createMediaTestApp({}, storage);
    return {
      ...t,
      s3,
      async close() {
        await t.close();
        await s3.stop();
      },
    };
  } catch (e) {
    await s3.stop();
    throw e;
  }
}
