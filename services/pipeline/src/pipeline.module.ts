import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createOutboxMigration, EVENT_BUS, OutboxRelay, type EventBus } from '@sx/bus';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { dataSourceToken, PersistenceModule } from '@sx/persistence';
import { CLOCK, createLogger, type Clock } from '@sx/service-kit';
import { PipelineInit1763850000000 } from './db/1763850000000-pipeline-init';
import { PIPELINE_SCHEMA, RunEntity, StageRunEntity } from './db/pipeline.entities';
import { loadPipelineDefinitions, type PipelineDefinitions } from './definitions/pipeline-definitions';
import { BulkImportService } from './import/bulk-import.service';
import { BusMediaPort } from './media/bus-media-port';
import { MEDIA_PORT, type MediaPort } from './media/media-port';
import { PipelineLifecycle } from './pipeline.lifecycle';
import { PipelineConsumer } from './runs/pipeline.consumer';
import { PipelineService } from './runs/pipeline.service';
import { PipelineWorker } from './runs/pipeline-worker';
import { RunExecutor } from './runs/run-executor';
import { RunsQueries } from './runs/runs.queries';
import { RunsRepository } from './runs/runs.repository';
import { AiMetadataStage, ScheduleStage } from './stages/handoff-stages';
import { ProbeStage, ValidateStage } from './stages/asset-stages';
import { PIPELINE_STAGES, type PipelineStage } from './stages/pipeline-stage';
import { RenditionsStage } from './stages/renditions.stage';
import { BusRenditionTargets, RENDITION_TARGETS } from './stages/rendition-targets.port';
import { ThumbnailStage } from './stages/thumbnail.stage';

const DEFINITIONS = Symbol('PIPELINE_DEFINITIONS');
const LOGGER = Symbol('PIPELINE_LOGGER');
const STAGE_CLASSES = [ValidateStage, ProbeStage, RenditionsStage, ThumbnailStage, AiMetadataStage, ScheduleStage];

/** Pipelines of stages over media assets: runs, retries, renditions, AI metadata, hand-off to the scheduler, bulk import. */
@Module({
  imports: [
    PersistenceModule.forService({
      schema: PIPELINE_SCHEMA,
      entities: [RunEntity, StageRunEntity],
      migrations: [PipelineInit1763850000000, createOutboxMigration(PIPELINE_SCHEMA)],
    }),
  ],
  providers: [
    ...STAGE_CLASSES,
    { provide: PIPELINE_STAGES, inject: STAGE_CLASSES, useFactory: (...stages: PipelineStage[]) => stages },
    { provide: MEDIA_PORT, useClass: BusMediaPort },
    { provide: RENDITION_TARGETS, useClass: BusRenditionTargets },
    { provide: LOGGER, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createLogger('pipeline', c.logLevel) },
    {
      provide: DEFINITIONS,
      inject: [APP_CONFIG, PIPELINE_STAGES],
      useFactory: (c: AppConfig, stages: PipelineStage[]) => loadPipelineDefinitions(stages.map((s) => s.name), c.pipeline.definitionsFile),
    },
    { provide: RunsRepository, inject: [dataSourceToken(PIPELINE_SCHEMA), CLOCK], useFactory: (db: DataSource, clock: Clock) => new RunsRepository(db, clock) },
    { provide: RunsQueries, inject: [dataSourceToken(PIPELINE_SCHEMA)], useFactory: (db: DataSource) => new RunsQueries(db) },
    {
      provide: RunExecutor,
      inject: [RunsRepository, PIPELINE_STAGES, MEDIA_PORT, CLOCK, LOGGER, APP_CONFIG],
      useFactory: (repo: RunsRepository, stages: PipelineStage[], media: MediaPort, clock: Clock, logger: ReturnType<typeof createLogger>, c: AppConfig) =>
        new RunExecutor(repo, new Map(stages.map((s) => [s.name, s])), media, clock, logger, { maxAttempts: c.pipeline.stageMaxAttempts, leaseMs: c.pipeline.leaseMs }),
    },
    {
      provide: PipelineWorker,
      inject: [RunsRepository, RunExecutor, LOGGER, APP_CONFIG],
      useFactory: (repo: RunsRepository, ex: RunExecutor, logger: ReturnType<typeof createLogger>, c: AppConfig) =>
        new PipelineWorker(repo, ex, logger, { leaseMs: c.pipeline.leaseMs, pollMs: 1_000, concurrency: 2 }),
    },
    {
      provide: PipelineService,
      inject: [DEFINITIONS, RunsRepository, RunsQueries, PipelineWorker],
      useFactory: (d: PipelineDefinitions, r: RunsRepository, q: RunsQueries, w: PipelineWorker) => new PipelineService(d, r, q, w),
    },
    {
      provide: OutboxRelay,
      inject: [dataSourceToken(PIPELINE_SCHEMA), EVENT_BUS, LOGGER],
      useFactory: (db: DataSource, bus: EventBus, logger: ReturnType<typeof createLogger>) =>
        new OutboxRelay({ dataSource: db, schema: PIPELINE_SCHEMA, bus, logger: logger.child({ component: 'outbox' }) }),
    },
    { provide: PipelineLifecycle, inject: [OutboxRelay, PipelineWorker], useFactory: (r: OutboxRelay, w: PipelineWorker) => new PipelineLifecycle(r, w) },
    BulkImportService,
    PipelineConsumer,
  ],
})
export class PipelineModule {}
