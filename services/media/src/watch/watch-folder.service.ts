import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Timers, TimerHandle } from '@sx/bus';
import { AppError, type Clock } from '@sx/service-kit';
import { WatchedFileEntity } from '../db/watched-file.entity';
import type { IngestService } from '../ingest/ingest.service';
import { hashFile } from '../ingest/spool';

export interface WatchFolderOptions {
  dir: string;
  workspaceId: string;
  /** The size and mtime must hold still this long before a file is taken. */
  stableMs: number;
}

interface Pending {
  size: number;
  mtimeMs: number;
  timer: TimerHandle;
}

export type WatchOutcome = 'ready' | 'duplicate' | 'rejected' | 'skipped';

/**
 * The clip watcher: files dropped into `dir` are ingested once. A file is taken only after its size
 * and mtime stayed the same for `stableMs` (still-copying files wait); path + size + mtime + sha256 are
 * recorded, so neither a restart nor a touch without new content ingests it again.
 */
export class WatchFolderService {
  private readonly pending = new Map<string, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inflight = new Set<Promise<void>>();
  private watcher?: { close(): Promise<void> };
  private stopped = false;

  constructor(
    private readonly opts: WatchFolderOptions,
    private readonly ds: DataSource,
    private readonly ingest: IngestService,
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onOutcome: (file: string, outcome: WatchOutcome) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    const { watch } = await import('chokidar');
    const w = watch(this.opts.dir, { ignoreInitial: false, depth: 0, ignored: (p: string) => path.basename(p).startsWith('.') });
    w.on('add', (p: string) => this.track(this.seen(p)));
    w.on('change', (p: string) => this.track(this.seen(p)));
    w.on('error', (e: unknown) => this.logger.warn({ err: e }, 'watch folder error'));
    this.watcher = w;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const p of this.pending.values()) this.timers.clearTimeout(p.timer);
    this.pending.clear();
    await this.watcher?.close();
    await this.idle();
  }

  /** Resolves when every file taken so far has been processed. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
    await this.queue;
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** A file appeared or changed: (re)start its stability wait. */
  async seen(file: string): Promise<void> {
    if (this.stopped) return;
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) return;
    const prev = this.pending.get(file);
    if (prev) this.timers.clearTimeout(prev.timer);
    const timer = this.timers.setTimeout(() => this.track(this.check(file)), this.opts.stableMs);
    this.pending.set(file, { size: s.size, mtimeMs: s.mtimeMs, timer });
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async check(file: string): Promise<void> {
    const prev = this.pending.get(file);
    if (!prev || this.stopped) return;
    const s = await stat(file).catch(() => null);
    if (!s) {
      this.pending.delete(file);
      return;
    }
    if (s.size !== prev.size || s.mtimeMs !== prev.mtimeMs || s.size === 0) {
      await this.seen(file);
      return;
    }
    this.pending.delete(file);
    this.queue = this.queue.then(() => this.take(file, s.size, s.mtimeMs).catch((e: unknown) => this.failed(file, e)));
  }

  private async take(file: string, size: number, mtimeMs: number): Promise<void> {
    const repo = this.ds.getRepository(WatchedFileEntity);
    const known = await repo.findOneBy({ path: file });
    if (known && known.size === size && known.mtimeMs === mtimeMs) return this.onOutcome(file, 'skipped');
    const sha256 = await hashFile(file);
    if (known && known.sha256 === sha256) {
      await repo.update({ path: file }, { size, mtimeMs });
      return this.onOutcome(file, 'skipped');
    }
    let outcome: WatchOutcome;
    let assetId: string | null = null;
    try {
      const r = await this.ingest.ingest({
        file,
        bytes: size,
        sha256,
        filename: path.basename(file),
        source: 'watch-folder',
        actor: { workspaceId: this.opts.workspaceId, actorId: 'watch-folder', correlationId: `watch:${sha256.slice(0, 16)}` },
      });
      outcome = r.duplicate ? 'duplicate' : 'ready';
      assetId = r.asset.id;
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      outcome = 'rejected';
      this.logger.info({ file: path.basename(file), code: e.code }, 'watch folder file rejected');
    }
    await repo.save({ path: file, size, mtimeMs, sha256, assetId, outcome: outcome as WatchedFileEntity['outcome'], ingestedAt: this.clock.now() });
    this.onOutcome(file, outcome);
  }

  /** Infrastructure failure (storage, database): not recorded, so the next change or restart retries it. */
  private failed(file: string, e: unknown): void {
    this.logger.error({ err: e, file: path.basename(file) }, 'watch folder ingest failed; will retry on the next change');
  }
}
