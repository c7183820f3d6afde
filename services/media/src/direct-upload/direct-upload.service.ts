import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { CommandRequest, CommandResponse, IngestResult, MediaUploadComplete, MediaUploadInit } from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import { isUuid } from '../assets/assets.repository';
import type { IngestService } from '../ingest/ingest.service';
import { spoolToFile, tooLarge } from '../ingest/spool';
import type { AssetStore, IngestActor } from '../ports';

const URL_TTL_S = 3600;

/**
 * Direct uploads: `init` hands out a presigned PUT (to the S3 bucket, or /storage/objects on disk) for a staging key in the
 * caller's workspace; `complete` streams the staged object through the same validation as any upload
 * and removes it. The staging key is derived from the workspace, so one workspace cannot complete
 * another's upload.
 */
export class DirectUploadService {
  constructor(
    private readonly store: AssetStore,
    private readonly ingest: IngestService,
    private readonly clock: Clock,
    private readonly opts: { spoolDir: string; maxBytes: number },
  ) {}

  async init(actor: IngestActor, req: CommandRequest<typeof MediaUploadInit>): Promise<CommandResponse<typeof MediaUploadInit>> {
    if (req.bytes > this.opts.maxBytes) throw tooLarge(this.opts.maxBytes);
    const uploadId = randomUUID();
    const url = await this.store.presignPut(stagingKey(actor, uploadId), URL_TTL_S);
    if (!url) {
      throw AppError.conflict('direct_upload_unavailable', 'This storage cannot sign uploads; use /media/tus or /media/uploads');
    }
    return { uploadId, method: 'PUT', url, expiresAt: new Date(this.clock.nowMs() + URL_TTL_S * 1000).toISOString() };
  }

  async complete(actor: IngestActor, req: CommandRequest<typeof MediaUploadComplete>): Promise<IngestResult> {
    if (!isUuid(req.uploadId)) throw AppError.notFound('Upload', req.uploadId);
    const key = stagingKey(actor, req.uploadId);
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
    }
  }
}

function stagingKey(actor: IngestActor, uploadId: string): string {
  return `staging/${actor.workspaceId}/${uploadId}`;
}
