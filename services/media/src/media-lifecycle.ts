import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { EVENT_BUS, OutboxRelay, systemTimers, type EventBus } from '@sx/bus';
import { dataSourceToken } from '@sx/persistence';
import { CLOCK, HealthRegistry, type Clock } from '@sx/service-kit';
import { MEDIA_SCHEMA } from './db/media-schema';
import { DirectUploadService } from './direct-upload/direct-upload.service';
import { TusUploadService } from './http/tus-upload.service';
import { IngestService } from './ingest/ingest.service';
import { MEDIA_LOGGER } from './media.tokens';
import { WatchFolderService } from './watch/watch-folder.service';

/** Size/mtime must hold still this long before a watch-folder file is taken. */
const WATCH_STABLE_MS = 3_000;
const SWEEP_MS = 600_000;
/** An asset still `processing` after this long was left by a crashed process (1 GiB takes ~1 min). */
const STALE_PROCESSING_MS = 30 * 60_000;
/**
 * A direct upload not completed this long after it was handed out is abandoned. Part URLs last an hour,
 * but a client may page fresh ones for a large file on a slow link, so the bound is a day.
 */
const ABANDONED_UPLOAD_MS = 24 * 3_600_000;

/** Starts and stops the media service's background parts: outbox relay, watch folder, housekeeping sweep. */
@Injectable()
export class MediaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay?: OutboxRelay;
  private watcher?: WatchFolderService;
  private sweep?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(dataSourceToken(MEDIA_SCHEMA)) private readonly ds: DataSource,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MEDIA_LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
    private readonly ingest: IngestService,
    private readonly tus: TusUploadService,
    private readonly direct: DirectUploadService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = new OutboxRelay({ dataSource: this.ds, schema: MEDIA_SCHEMA, bus: this.bus, logger: this.logger });
    await this.relay.start();
    const { watchDir, watchWorkspaceId } = this.config.media;
    if (watchDir) {
      this.watcher = new WatchFolderService(
        { dir: watchDir, workspaceId: watchWorkspaceId, stableMs: WATCH_STABLE_MS },
        this.ds,
        this.ingest,
        systemTimers,
        this.clock,
        this.logger,
      );
      await this.watcher.start();
      this.logger.info({ watchDir }, 'watch folder started');
    }
    await this.housekeeping();
    this.sweep = setInterval(() => void this.housekeeping(), SWEEP_MS);
    this.sweep.unref();
    this.health.register('media:watch-folder', 'media', async () =>
      watchDir && !this.watcher ? { ok: false, detail: 'watch folder not running' } : { ok: true },
    );
  }

  /**
   * Expired tus uploads, abandoned direct uploads and assets interrupted by a crash; failures are logged
   * and retried next sweep.
   */
  private async housekeeping(): Promise<void> {
    try {
      const recovered = await this.ingest.recoverInterrupted(STALE_PROCESSING_MS);
      const expired = await this.tus.cleanUpExpired();
      const abandoned = await this.direct.reapAbandoned(new Date(this.clock.nowMs() - ABANDONED_UPLOAD_MS));
      if (recovered || expired || abandoned.reaped || abandoned.failed) {
        this.logger.info({ recovered, expired, abandonedUploads: abandoned }, 'media housekeeping');
      }
    } catch (e) {
      this.logger.warn({ err: e }, 'media housekeeping failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.watcher?.stop();
    await this.relay?.stop();
  }
}
