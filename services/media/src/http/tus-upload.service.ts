import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Server as TusServer } from '@tus/server';
import type { FileStore } from '@tus/file-store';
import { AppError, codeForStatus, currentCorrelationId, newCorrelationId } from '@sx/service-kit';
import type { IngestService } from '../ingest/ingest.service';
import { hashFile } from '../ingest/spool';
import { requireEditor, resolveActor, type HttpActor } from './request-actor';

export const TUS_PATH = '/media/tus';
const WORKSPACE_KEY = 'sxWorkspace';

export interface TusUploadOptions {
  directory: string;
  maxBytes: number;
  trustGatewayHeaders: boolean;
  /** Unfinished uploads are forgotten after this long. */
  expireMs?: number;
}

/**
 * Resumable uploads over the tus 1.0 protocol (@tus/server + @tus/file-store): the client resumes
 * after a drop with HEAD (Upload-Offset = progress) and PATCH. An upload belongs to the workspace
 * that created it. When the last byte arrives the file is ingested; a rejection is answered to that
 * PATCH with the coded 4xx body.
 */
export class TusUploadService {
  private server?: TusServer;
  private store?: FileStore;
  private readonly context = new AsyncLocalStorage<HttpActor>();

  constructor(
    private readonly ingest: IngestService,
    private readonly opts: TusUploadOptions,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const actor = requireEditor(resolveActor(req, this.opts.trustGatewayHeaders));
    const server = await this.tus();
    await this.context.run(actor, () => server.handle(req, res));
  }

  private async tus(): Promise<TusServer> {
    if (this.server) return this.server;
    // Both packages are ESM-only; Node >= 20.19 loads them through require(esm).
    const { Server } = await import('@tus/server');
    // @tus/server answers protocol errors (412 without Tus-Resumable, 400 bad headers, 404, its own
    // thrown errors) as text/plain through `write`; every status >= 400 leaves here in the one error shape.
    class JsonErrorTusServer extends Server {
      override write(...[context, headers, status, body]: Parameters<TusServer['write']>): ReturnType<TusServer['write']> {
        if (status < 400) return super.write(context, headers, status, body);
        headers.set('Content-Type', 'application/json; charset=utf-8');
        return super.write(context, headers, status, tusErrorBody(status, body));
      }
    }
    const { FileStore } = await import('@tus/file-store');
    await mkdir(this.opts.directory, { recursive: true });
    const store = new FileStore({ directory: this.opts.directory, expirationPeriodInMilliseconds: this.opts.expireMs ?? 86_400_000 });
    this.store = store;
    this.server = new JsonErrorTusServer({
      path: TUS_PATH,
      datastore: store,
      maxSize: this.opts.maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: true,
      onUploadCreate: async (_req, upload) => ({ metadata: { ...upload.metadata, [WORKSPACE_KEY]: this.actor().workspaceId } }),
      onIncomingRequest: async (req, uploadId) => {
        if (req.method === 'POST' || req.method === 'OPTIONS') return;
        const upload = await store.getUpload(uploadId);
        if (upload.metadata?.[WORKSPACE_KEY] !== this.actor().workspaceId) throw tusError(404, 'not_found', 'Upload not found');
      },
      onUploadFinish: async (_req, upload) => {
        const file = path.join(this.opts.directory, upload.id);
        try {
          const result = await this.ingest.ingest({
            file,
            bytes: upload.size ?? upload.offset,
            sha256: await hashFile(file),
            filename: upload.metadata?.['filename'] ?? 'upload',
            source: 'upload',
            actor: this.actor(),
          });
          return { status_code: 200, body: JSON.stringify(result), headers: { 'Content-Type': 'application/json' } };
        } catch (e) {
          const err = e instanceof AppError ? e : new AppError('processing_failed', 'The file could not be processed', 500);
          throw tusError(err.status, err.code, err.message);
        } finally {
          await store.remove(upload.id).catch(() => undefined);
        }
      },
    });
    return this.server;
  }

  /** Removes unfinished uploads past their expiry; returns how many. */
  async cleanUpExpired(): Promise<number> {
    await this.tus();
    return this.store ? this.store.deleteExpired() : 0;
  }

  private actor(): HttpActor {
    const a = this.context.getStore();
    if (!a) throw tusError(401, 'unauthenticated', 'Authentication is required');
    return a;
  }
}

function tusError(status: number, code: string, message: string): { status_code: number; body: string } {
  return { status_code: status, body: JSON.stringify({ code, message }) };
}

/** A tus body (our own `{ code, message }` JSON, or the library's plain text) as the one error shape. */
function tusErrorBody(status: number, body: string | undefined): string {
  const correlationId = currentCorrelationId() ?? newCorrelationId();
  let parsed: { code?: unknown; message?: unknown } | undefined;
  try {
    parsed = body ? (JSON.parse(body) as typeof parsed) : undefined;
  } catch {
    parsed = undefined;
  }
  const code = typeof parsed?.code === 'string' ? parsed.code : codeForStatus(status);
  const message = typeof parsed?.message === 'string' ? parsed.message : (body ?? '').trim() || 'The upload request failed';
  return JSON.stringify({ code, message, correlationId });
}
