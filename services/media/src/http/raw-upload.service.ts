import { rm } from 'node:fs/promises';
import type { Request, Response } from 'express';
import { AppError } from '@sx/service-kit';
import type { IngestService } from '../ingest/ingest.service';
import { spoolToFile, tooLarge } from '../ingest/spool';
import { requireEditor, resolveActor } from './request-actor';

/** Bodies a framework parser would consume (and we would never see whole); the file must be the raw body. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/', 'application/json', 'text/plain'];

export interface RawUploadOptions {
  spoolDir: string;
  maxBytes: number;
  trustGatewayHeaders: boolean;
}

/**
 * `POST /media/uploads?filename=...&tags=a,b&platforms=x` with the file as the raw body: streamed to a
 * temp file (hashing on the way), never buffered. Content-Length over the cap is refused before reading.
 * 201 for a new asset, 200 for a duplicate; the upload progress is the client's own bytes-sent count.
 */
export class RawUploadService {
  constructor(
    private readonly ingest: IngestService,
    private readonly opts: RawUploadOptions,
  ) {}

  async handle(req: Request, res: Response): Promise<void> {
    const actor = requireEditor(resolveActor(req, this.opts.trustGatewayHeaders));
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (FORM_TYPES.some((t) => type.startsWith(t)) || req.readableEnded) {
      throw new AppError('raw_body_required', 'Send the file itself as the body (application/octet-stream or its media type), or use tus', 415);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.opts.maxBytes) throw tooLarge(this.opts.maxBytes);
    const spooled = await spoolToFile(req, this.opts.spoolDir, this.opts.maxBytes);
    try {
      const result = await this.ingest.ingest({
        file: spooled.path,
        bytes: spooled.bytes,
        sha256: spooled.sha256,
        filename: queryString(req, 'filename') ?? String(req.headers['x-filename'] ?? 'upload'),
        source: 'upload',
        tags: list(queryString(req, 'tags')),
        platforms: list(queryString(req, 'platforms')),
        actor,
      });
      res.status(result.duplicate ? 200 : 201).json(result);
    } finally {
      await rm(spooled.path, { force: true });
    }
  }
}

function queryString(req: Request, key: string): string | undefined {
  const v = req.query[key];
  return typeof v === 'string' && v.length <= 1024 ? v : undefined;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 64)
    .slice(0, 50);
}
