import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import {
  MULTIPART_URLS_PER_PAGE,
  type CommandRequest,
  type CommandResponse,
  type IngestResult,
  type MediaUploadComplete,
  type MediaUploadInit,
  type MediaUploadParts,
} from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import { isUuid } from '../assets/assets.repository';
import type { IngestService } from '../ingest/ingest.service';
import { spoolToFile, tooLarge } from '../ingest/spool';
import type { AssetStore, IngestActor } from '../ports';
import { planParts, signParts, SINGLE_PUT_MAX_BYTES } from './multipart-plan';
import type { StagingLedger } from './staging-ledger';

const URL_TTL_S = 3600;
/** At most this many abandoned uploads are reaped per sweep; the next sweep takes the rest. */
const REAP_PER_SWEEP = 1_000;

/**
 * Direct uploads: `init` hands out a presigned PUT (to the S3 bucket, or /storage/objects on disk) for a staging key in the
 * caller's workspace, or, for multipart, starts a multipart upload of that key and hands out presigned part
 * URLs (more through `parts`); `complete` joins the parts if any, streams the staged object through the same
 * validation as any upload and removes it. The staging key is derived from the workspace, so one workspace
 * cannot sign parts for, complete or read another's upload (S3 and the disk driver bind upload ids to keys).
 * Each upload handed out is in the ledger until completed; `reapAbandoned` removes what the rest left.
 */
export class DirectUploadService {
  constructor(
    private readonly store: AssetStore,
    private readonly ledger: StagingLedger,
    private readonly ingest: IngestService,
    private readonly clock: Clock,
    private readonly opts: { spoolDir: string; maxBytes: number },
  ) {}

  async init(actor: IngestActor, req: CommandRequest<typeof MediaUploadInit>): Promise<CommandResponse<typeof MediaUploadInit>> {
    if (req.bytes > this.opts.maxBytes) throw tooLarge(this.opts.maxBytes);
    const uploadId = randomUUID();
    if (req.multipart || req.bytes > SINGLE_PUT_MAX_BYTES) return this.initMultipart(actor, uploadId, req);
    const key = stagingKey(actor, uploadId);
    const url = await this.store.presignPut(key, URL_TTL_S);
    if (!url) {
      throw AppError.conflict('direct_upload_unavailable', 'This storage cannot sign uploads; use /media/tus or /media/uploads');
    }
    await this.ledger.record({ uploadId, workspaceId: actor.workspaceId, key, multipartId: null }, this.clock.now());
    return { uploadId, method: 'PUT', url, expiresAt: this.expiresAt() };
  }

  async parts(actor: IngestActor, req: CommandRequest<typeof MediaUploadParts>): Promise<CommandResponse<typeof MediaUploadParts>> {
    if (!isUuid(req.uploadId)) throw AppError.notFound('Upload', req.uploadId);
    const parts = await signParts(this.store, stagingKey(actor, req.uploadId), req.multipartId, req.fromPart, req.count, URL_TTL_S);
    return { parts, expiresAt: this.expiresAt() };
  }

  async complete(actor: IngestActor, req: CommandRequest<typeof MediaUploadComplete>): Promise<IngestResult> {
    if (!isUuid(req.uploadId)) throw AppError.notFound('Upload', req.uploadId);
    const key = stagingKey(actor, req.uploadId);
    if (req.multipartId !== undefined || req.parts !== undefined) await this.joinParts(key, req.multipartId, req.parts);
    const staged = await this.store.stat(key);
    if (!staged) throw new AppError('upload_not_found', 'Nothing was uploaded for this upload id (or it was completed already)', 404);
    try {
      if (staged.bytes > this.opts.maxBytes) throw tooLarge(this.opts.maxBytes);
      const spooled = await spoolToFile(await this.store.read(key), this.opts.spoolDir, this.opts.maxBytes);
      try {
        return await this.ingest.ingest({
          file: spooled.path,
          bytes: spooled.bytes,
          sha256: spooled.sha256,
          filename: req.filename,
          source: 'upload',
          tags: req.tags,
          platforms: req.platforms,
          actor,
        });
      } finally {
        await rm(spooled.path, { force: true });
      }
    } finally {
      await this.store.delete(key);
      await this.ledger.forget(req.uploadId);
    }
  }

  /**
   * Aborts the multipart uploads and deletes the staging objects of uploads handed out before `cutoff` and
   * never completed. One that fails (storage unreachable) stays in the ledger for the next sweep.
   */
  async reapAbandoned(cutoff: Date): Promise<{ reaped: number; failed: number }> {
    let reaped = 0;
    let failed = 0;
    for (const u of await this.ledger.olderThan(cutoff, REAP_PER_SWEEP)) {
      try {
        if (u.multipartId) await this.store.abortMultipart(u.key, u.multipartId);
        await this.store.delete(u.key);
        await this.ledger.forget(u.uploadId);
        reaped++;
      } catch {
        failed++;
      }
    }
    return { reaped, failed };
  }

  private async initMultipart(
    actor: IngestActor,
    uploadId: string,
    req: CommandRequest<typeof MediaUploadInit>,
  ): Promise<CommandResponse<typeof MediaUploadInit>> {
    const plan = planParts(req.bytes, req.partSize);
    const key = stagingKey(actor, uploadId);
    const multipartId = await this.store.createMultipart(key);
    try {
      await this.ledger.record({ uploadId, workspaceId: actor.workspaceId, key, multipartId }, this.clock.now());
      const parts = await signParts(this.store, key, multipartId, 1, Math.min(plan.partCount, MULTIPART_URLS_PER_PAGE), URL_TTL_S);
      return { uploadId, method: 'PUT', multipart: { multipartId, ...plan, parts }, expiresAt: this.expiresAt() };
    } catch (e) {
      await this.store.abortMultipart(key, multipartId);
      throw e;
    }
  }

  /** Completes the multipart upload into the staging object; any failure aborts it, so no part stays behind. */
  private async joinParts(key: string, multipartId: string | undefined, parts: { partNumber: number; etag: string }[] | undefined): Promise<void> {
    if (!multipartId || !parts) {
      throw new AppError('invalid_multipart', 'A multipart upload is completed with both multipartId and parts', 400);
    }
    try {
      await this.store.completeMultipart(key, multipartId, parts);
    } catch (e) {
      await this.store.abortMultipart(key, multipartId);
      throw e;
    }
  }

  private expiresAt(): string {
    return new Date(this.clock.nowMs() + URL_TTL_S * 1000).toISOString();
  }
}

function stagingKey(actor: IngestActor, uploadId: string): string {
  return `staging/${actor.workspaceId}/${uploadId}`;
}
