import * as path from 'node:path';
import { Module, type Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { dataSourceToken, PersistenceModule } from '@sx/persistence';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import { CLOCK, createLogger, METRICS, type Clock } from '@sx/service-kit';
import type { Logger } from 'pino';
import { AssetsRepository } from './assets/assets.repository';
import { AssetsService } from './assets/assets.service';
import { MediaCommandsHandler } from './assets/media-commands.handler';
import { DirectUploadService } from './direct-upload/direct-upload.service';
import { StagingLedger } from './direct-upload/staging-ledger';
import { MEDIA_ENTITIES, MEDIA_MIGRATIONS, MEDIA_SCHEMA } from './db/media-schema';
import { MediaHttpErrorFilter } from './http/app-error.filter';
import { MediaFilesController } from './http/media-files.controller';
import { MediaServeService } from './http/media-serve.service';
import { PresignedObjectsController } from './http/presigned-objects.controller';
import { PresignedObjectsService } from './http/presigned-objects.service';
import { RawUploadService } from './http/raw-upload.service';
import { TusUploadService } from './http/tus-upload.service';
import { BusOutbox } from './infra/bus-outbox';
import { ObjectStorageAssetStore } from './infra/object-storage-asset-store';
import { IngestMetrics } from './ingest/ingest.metrics';
import { IngestService } from './ingest/ingest.service';
import { MediaProcessor } from './ingest/media-processor';
import { resolveMediaBinaries } from './ingest/media-tools';
import { MediaLifecycle } from './media-lifecycle';
import { MEDIA_LOGGER, MEDIA_PATHS, type MediaPaths } from './media.tokens';
import { ASSET_STORE, MEDIA_OUTBOX, type AssetStore, type MediaEventOutbox } from './ports';
import { UrlImportService } from './url-import/url-import.service';

const DS = dataSourceToken(MEDIA_SCHEMA);
/** Downloads for URL import must finish within this time. */
const IMPORT_TIMEOUT_MS = 120_000;

const factory = <T>(provide: unknown, inject: unknown[], useFactory: (...args: never[]) => T): Provider =>
  ({ provide, inject, useFactory }) as Provider;

const providers: Provider[] = [
  factory(MEDIA_LOGGER, [APP_CONFIG], (c: AppConfig) => createLogger('media', c.logLevel)),
  factory(MEDIA_PATHS, [APP_CONFIG], (c: AppConfig): MediaPaths => ({
    spool: path.join(c.dataDir, 'media', 'spool'),
    tus: path.join(c.dataDir, 'media', 'tus'),
  })),
  factory(AssetsRepository, [DS], (ds: DataSource) => new AssetsRepository(ds)),
  factory(ASSET_STORE, [OBJECT_STORAGE], (s: ObjectStorage) => new ObjectStorageAssetStore(s)),
  factory(MEDIA_OUTBOX, [CLOCK], (clock: Clock) => new BusOutbox(MEDIA_SCHEMA, clock)),
  factory(IngestMetrics, [METRICS], (r: Registry) => new IngestMetrics(r)),
  factory(MediaProcessor, [APP_CONFIG], (c: AppConfig) => new MediaProcessor(c.media, resolveMediaBinaries())),
  factory(
    IngestService,
    [AssetsRepository, ASSET_STORE, MEDIA_OUTBOX, MediaProcessor, CLOCK, MEDIA_LOGGER, IngestMetrics, APP_CONFIG],
    (repo: AssetsRepository, store: AssetStore, outbox: MediaEventOutbox, processor: MediaProcessor, clock: Clock, logger: Logger, metrics: IngestMetrics, c: AppConfig) =>
      new IngestService({ repo, store, outbox, processor, clock, logger, metrics, autoSchedule: c.media.autoSchedule }),
  ),
  factory(AssetsService, [AssetsRepository, MEDIA_OUTBOX, CLOCK], (r: AssetsRepository, o: MediaEventOutbox, c: Clock) => new AssetsService(r, o, c)),
  factory(UrlImportService, [IngestService, MEDIA_PATHS, APP_CONFIG], (i: IngestService, p: MediaPaths, c: AppConfig) =>
    new UrlImportService(i, p.spool, { allow: c.egress.allow, maxBytes: c.media.maxBytes, timeoutMs: IMPORT_TIMEOUT_MS }),
  ),
  factory(
    DirectUploadService,
    [ASSET_STORE, DS, IngestService, CLOCK, MEDIA_PATHS, APP_CONFIG],
    (s: AssetStore, ds: DataSource, i: IngestService, clock: Clock, p: MediaPaths, c: AppConfig) =>
      new DirectUploadService(s, new StagingLedger(ds), i, clock, { spoolDir: p.spool, maxBytes: c.media.maxBytes }),
  ),
  factory(
    MediaCommandsHandler,
    [AssetsService, UrlImportService, DirectUploadService, MEDIA_LOGGER],
    (a: AssetsService, u: UrlImportService, d: DirectUploadService, l: Logger) => new MediaCommandsHandler(a, u, d, l),
  ),
  factory(RawUploadService, [IngestService, MEDIA_PATHS, APP_CONFIG], (i: IngestService, p: MediaPaths, c: AppConfig) =>
    new RawUploadService(i, { spoolDir: p.spool, maxBytes: c.media.maxBytes, trustGatewayHeaders: c.mode === 'distributed' }),
  ),
  factory(TusUploadService, [IngestService, MEDIA_PATHS, APP_CONFIG], (i: IngestService, p: MediaPaths, c: AppConfig) =>
    new TusUploadService(i, { directory: p.tus, maxBytes: c.media.maxBytes, trustGatewayHeaders: c.mode === 'distributed' }),
  ),
  factory(MediaServeService, [AssetsRepository, ASSET_STORE, APP_CONFIG], (r: AssetsRepository, s: AssetStore, c: AppConfig) =>
    new MediaServeService(r, s, c.mode === 'distributed'),
  ),
  factory(PresignedObjectsService, [OBJECT_STORAGE, APP_CONFIG], (s: ObjectStorage, c: AppConfig) => new PresignedObjectsService(s, c.media.maxBytes)),
  MediaHttpErrorFilter,
  MediaLifecycle,
];

/**
 * The media service: uploads (raw + tus), validation, metadata, previews, library commands, watch
 * folder, URL import, and `media.*` events through the outbox. Needs CoreModule's global providers
 * (APP_CONFIG, CLOCK, METRICS, HealthRegistry, EVENT_BUS, OBJECT_STORAGE) and BusModule in the root.
 */
@Module({
  imports: [PersistenceModule.forService({ schema: MEDIA_SCHEMA, entities: MEDIA_ENTITIES, migrations: MEDIA_MIGRATIONS })],
  controllers: [MediaFilesController, PresignedObjectsController],
  providers,
  exports: [AssetsService, IngestService],
})
export class MediaModule {}
