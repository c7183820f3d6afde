import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { CommandRequest, IngestResult, MediaImportUrl } from '@sx/contracts';
import type { IngestService } from '../ingest/ingest.service';
import { spoolToFile } from '../ingest/spool';
import type { IngestActor } from '../ports';
import { safeFetch, type SafeFetchOptions } from './safe-fetch';

/** Downloads a user-given URL through the SSRF-safe egress helper, then ingests it like an upload. */
export class UrlImportService {
  constructor(
    private readonly ingest: IngestService,
    private readonly spoolDir: string,
    private readonly fetchOptions: SafeFetchOptions,
  ) {}

  async importUrl(actor: IngestActor, req: CommandRequest<typeof MediaImportUrl>): Promise<IngestResult> {
    const res = await safeFetch(req.url, this.fetchOptions);
    const spooled = await spoolToFile(res.body, this.spoolDir, this.fetchOptions.maxBytes);
    try {
      return await this.ingest.ingest({
        file: spooled.path,
        bytes: spooled.bytes,
        sha256: spooled.sha256,
        filename: req.filename ?? nameFromUrl(res.finalUrl),
        source: 'url-import',
        tags: req.tags,
        platforms: req.platforms,
        actor,
      });
    } finally {
      await rm(spooled.path, { force: true });
    }
  }
}

function nameFromUrl(url: string): string {
  const last = path.posix.basename(new URL(url).pathname);
  try {
    return decodeURIComponent(last) || 'download';
  } catch {
    return last || 'download';
  }
}
