import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { QueryFailedError } from 'typeorm';
import { MediaRejected, MediaReady, MediaUploaded, type IngestResult } from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import { toAssetDto } from '../assets/asset-dto';
import type { AssetsRepository } from '../assets/assets.repository';
import type { AssetRenditions, AssetSource, MediaAssetEntity } from '../db/media-asset.entity';
import type { AssetStore, IngestActor, MediaEventOutbox } from '../ports';
import type { IngestMetrics } from './ingest.metrics';
import type { Identified, MediaProcessor, ProcessedMedia } from './media-processor';

export interface IngestInput {
  /** Local file holding the complete upload; the caller owns (and removes) it. */
  file: string;
  bytes: number;
  sha256: string;
  filename: string;
  source: AssetSource;
  tags?: string[];
  platforms?: string[];
  actor: IngestActor;
}

export interface IngestDeps {
  repo: AssetsRepository;
  store: AssetStore;
  outbox: MediaEventOutbox;
  processor: MediaProcessor;
  clock: Clock;
  logger: Logger;
  metrics: IngestMetrics;
  autoSchedule: boolean;
}

/**
 * Turns a complete local file into an asset: dedupe by SHA-256, identify by magic bytes, validate and
 * derive (processor), store objects, and record the row + events in one transaction. A rejection records
 * the reason and an event, leaves no object in storage, and rethrows the coded 4xx error.
 */
export class IngestService {
  constructor(private readonly d: IngestDeps) {}

  async ingest(input: IngestInput): Promise<IngestResult> {
    const started = this.d.clock.nowMs();
    const dup = await this.findDuplicate(input);
    if (dup) return this.finish(started, 'duplicate', dup);
    const asset = this.newAsset(input);
    let identified: Identified;
    try {
      identified = await this.d.processor.identify(input.file, input.bytes);
    } catch (e) {
      await this.reject(asset, e, input.actor, true);
      this.d.metrics.observe('rejected', this.d.clock.nowMs() - started);
      throw e;
    }
    Object.assign(asset, { mime: identified.mime, kind: identified.kind, status: 'processing' });
    const claimed = await this.claim(asset, input.actor);
    if (!claimed) {
      const winner = await this.findDuplicate(input);
      if (winner) return this.finish(started, 'duplicate', winner);
      throw new AppError('conflict', 'A concurrent upload of the same file failed; retry', 409);
    }
    let processed: ProcessedMedia | undefined;
    const keys: string[] = [];
    try {
      processed = await this.d.processor.process(input.file, identified);
      const renditions = await this.storeObjects(asset, input.file, processed, keys);
      const ready = await this.markReady(asset, processed, renditions, input);
      return this.finish(started, 'ready', { asset: toAssetDto(ready), duplicate: false });
    } catch (e) {
      await Promise.all(keys.map((k) => this.d.store.delete(k).catch(() => undefined)));
      await this.reject(asset, e, input.actor, false);
      this.d.metrics.observe('rejected', this.d.clock.nowMs() - started);
      throw toClientError(e);
    } finally {
      await Promise.all((processed?.tempFiles ?? []).map((f) => rm(f, { force: true })));
    }
  }

  /**
   * After a crash mid-processing: assets stuck in `processing` since before `staleMs` ago become
   * `rejected` (code `interrupted`, media.rejected emitted) and their partial objects are removed.
   */
  async recoverInterrupted(staleMs: number): Promise<number> {
    const stale = await this.d.repo.findStaleProcessing(new Date(this.d.clock.nowMs() - staleMs));
    for (const asset of stale) {
      await Promise.all(['original', 'published', 'thumbnail.webp'].map((k) => this.d.store.delete(`${assetPrefix(asset)}/${k}`)));
      const err = new AppError('interrupted', 'Processing was interrupted by a restart; upload the file again', 422);
      const actor = { workspaceId: asset.workspaceId, actorId: 'system', correlationId: `recover:${asset.id}` };
      await this.reject(asset, err, actor, false);
    }
    return stale.length;
  }

  private async findDuplicate(input: IngestInput): Promise<IngestResult | undefined> {
    const scope = { workspaceId: input.actor.workspaceId };
    const existing = await this.d.repo.findBySha(scope, input.sha256);
    if (!existing) return undefined;
    if (existing.deletedAt) {
      existing.deletedAt = null;
      existing.updatedAt = this.d.clock.now();
      await this.d.repo.transaction((em) => this.d.repo.save(em, existing));
    }
    return { asset: toAssetDto(existing), duplicate: true };
  }

  private newAsset(input: IngestInput): MediaAssetEntity {
    const now = this.d.clock.now();
    return {
      id: randomUUID(),
      workspaceId: input.actor.workspaceId,
      filename: sanitizeFilename(input.filename),
      mime: 'application/octet-stream',
      kind: 'document',
      bytes: input.bytes,
      sha256: input.sha256,
      status: 'uploaded',
      statusCode: null,
      statusDetail: null,
      source: input.source,
      storageKey: null,
      renditions: {},
      metadata: {},
      tags: [...new Set(input.tags ?? [])],
      platforms: [...new Set(input.platforms ?? [])],
      createdBy: input.actor.actorId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
  }

  /** Inserts the `processing` row + media.uploaded; false when the same bytes won a concurrent race. */
  private async claim(asset: MediaAssetEntity, actor: IngestActor): Promise<boolean> {
    try {
      await this.d.repo.transaction(async (em) => {
        await this.d.repo.insert(em, asset);
        await this.d.outbox.append(em, MediaUploaded, eventRef(asset), meta(actor));
      });
      return true;
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') return false;
      throw e;
    }
  }

  private async storeObjects(
    asset: MediaAssetEntity,
    file: string,
    p: ProcessedMedia,
    keys: string[],
  ): Promise<AssetRenditions> {
    const base = assetPrefix(asset);
    const original = `${base}/original`;
    keys.push(original);
    await this.d.store.putFile(original, file, asset.mime);
    asset.storageKey = original;
    const renditions: AssetRenditions = {};
    if (p.published) {
      const key = `${base}/published`;
      keys.push(key);
      if (p.published.buffer) await this.d.store.putBuffer(key, p.published.buffer, p.published.mime);
      else if (p.published.file) await this.d.store.putFile(key, p.published.file, p.published.mime);
      const stat = await this.d.store.stat(key);
      renditions.published = { key, mime: p.published.mime, bytes: stat?.bytes ?? 0 };
    }
    if (p.thumbnail) {
      const key = `${base}/thumbnail.webp`;
      keys.push(key);
      await this.d.store.putBuffer(key, p.thumbnail, 'image/webp');
      renditions.thumbnail = { key, mime: 'image/webp', bytes: p.thumbnail.length };
    }
    return renditions;
  }

  private async markReady(
    asset: MediaAssetEntity,
    p: ProcessedMedia,
    renditions: AssetRenditions,
    input: IngestInput,
  ): Promise<MediaAssetEntity> {
    Object.assign(asset, {
      status: 'ready',
      statusCode: p.notice?.code ?? null,
      statusDetail: p.notice?.detail ?? null,
      renditions,
      metadata: p.metadata,
      updatedAt: this.d.clock.now(),
    });
    await this.d.repo.transaction(async (em) => {
      await this.d.repo.save(em, asset);
      await this.d.outbox.append(
        em,
        MediaReady,
        {
          ...eventRef(asset),
          metadata: asset.metadata,
          source: input.source,
          autoSchedule: this.d.autoSchedule && input.source === 'watch-folder',
          platforms: asset.platforms,
        },
        meta(input.actor),
      );
    });
    return asset;
  }

  /** Records the refusal (row + media.rejected); `fresh` when no row was inserted yet. */
  private async reject(asset: MediaAssetEntity, e: unknown, actor: IngestActor, fresh: boolean): Promise<void> {
    const err = toClientError(e);
    Object.assign(asset, {
      status: 'rejected',
      statusCode: err.code,
      statusDetail: err.message,
      storageKey: null,
      renditions: {},
      updatedAt: this.d.clock.now(),
    });
    if (err.status >= 500) this.d.logger.error({ err: e, assetId: asset.id }, 'media processing failed');
    await this.d.repo.transaction(async (em) => {
      if (fresh) await this.d.repo.insert(em, asset);
      else await this.d.repo.save(em, asset);
      await this.d.outbox.append(
        em,
        MediaRejected,
        { assetId: asset.id, filename: asset.filename, code: err.code, reason: err.message },
        meta(actor),
      );
    });
  }

  private finish(started: number, outcome: 'ready' | 'duplicate', r: IngestResult): IngestResult {
    this.d.metrics.observe(outcome, this.d.clock.nowMs() - started);
    return r;
  }
}

function assetPrefix(a: MediaAssetEntity): string {
  return `assets/${a.workspaceId}/${a.id}`;
}

function toClientError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError('processing_failed', 'The file could not be processed', 500);
}

function eventRef(a: MediaAssetEntity) {
  return { assetId: a.id, filename: a.filename, mime: a.mime, kind: a.kind, bytes: a.bytes, sha256: a.sha256 ?? '' };
}

function meta(actor: IngestActor) {
  return { workspaceId: actor.workspaceId, correlationId: actor.correlationId };
}

/**
 * Display name only (storage keys are ours): no path, bounded length. Control characters and bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069, LRM/RLM/ALM)
 * are removed: a stored name with U+202E could show "exe.mp4" as "4pm.exe" in every list it appears in.
 */
export function sanitizeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim() ?? '';
  return (base || 'unnamed').slice(0, 255);
}
