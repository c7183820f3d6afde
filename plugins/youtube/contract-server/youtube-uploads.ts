// The resumable upload protocol (developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
// a session URI from the insert call, PUTs with Content-Range (non-final chunks a multiple of 256 KiB),
// 308 Resume Incomplete + Range for what arrived, `bytes */N` probes, 200/201 + the video at the end,
// 404 once the session has expired.
import { randomBytes } from 'node:crypto';
import { HttpFailure, type RouteRequest, type RouteResponse } from '@sx/plugin-sdk';
import { googleError } from './google-errors';

export const CHUNK_GRANULE = 256 * 1024;

export interface UploadSession {
  id: string;
  total: number;
  contentType: string;
  metadata: VideoInsertBody;
  notifySubscribers: boolean;
  received: Buffer[];
  receivedBytes: number;
  expiresAt: number;
  videoId?: string;
}

export interface VideoInsertBody {
  snippet: { title: string; description?: string; tags?: string[]; categoryId?: string; defaultLanguage?: string };
  status: { privacyStatus?: string; publishAt?: string; selfDeclaredMadeForKids?: boolean; containsSyntheticMedia?: boolean };
}

export interface ChunkKnobs {
  /** The next chunk PUT stores only this many of its bytes, then fails with 503 (a connection cut mid-chunk). */
  failNextChunkAfterBytes?: number;
  sessionTtlMs: number;
}

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();
  readonly knobs: ChunkKnobs = { sessionTtlMs: 7 * 24 * 3600_000 };
  chunkPuts = 0;
  probes = 0;

  constructor(private readonly now: () => number) {}

  open(total: number, contentType: string, metadata: VideoInsertBody, notifySubscribers: boolean): UploadSession {
    const s: UploadSession = {
      id: randomBytes(18).toString('base64url'),
      total,
      contentType,
      metadata,
      notifySubscribers,
      received: [],
      receivedBytes: 0,
      expiresAt: this.now() + this.knobs.sessionTtlMs,
    };
    this.sessions.set(s.id, s);
    return s;
  }

  expireAll(): void {
    for (const s of this.sessions.values()) s.expiresAt = this.now() - 1;
  }

  /**
   * One PUT to a session URI. `complete` turns the finished session into a video (the caller's
   * handler); it runs exactly once per session.
   */
  put(req: RouteRequest, complete: (s: UploadSession, bytes: Buffer) => RouteResponse): RouteResponse {
    const s = this.sessions.get(req.query.get('upload_id') ?? '');
    if (!s || s.expiresAt <= this.now()) throw new HttpFailure(404, 'Not Found');
    const range = String(req.headers['content-range'] ?? '');
    const probe = /^bytes \*\/(\d+)$/.exec(range);
    if (probe) {
      this.probes += 1;
      if (Number(probe[1]) !== s.total) throw googleError(400, 'badRequest', 'Content-Range total does not match X-Upload-Content-Length');
      return s.videoId ? complete(s, Buffer.alloc(0)) : this.incomplete(s);
    }
    if (s.videoId) return complete(s, Buffer.alloc(0));
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (!m) throw googleError(400, 'badRequest', 'Failed to parse Content-Range header.');
    const [first, last, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (total !== s.total || last - first + 1 !== req.body.length || last >= total) {
      throw googleError(400, 'badRequest', 'Content-Range does not match the request body or the upload size');
    }
    if (first > s.receivedBytes) throw googleError(400, 'badRequest', `Content-Range starts at ${first}, but only ${s.receivedBytes} bytes were received`);
    const isFinal = last === total - 1;
    if (!isFinal && req.body.length % CHUNK_GRANULE !== 0) {
      throw googleError(400, 'badRequest', 'Invalid chunk size: chunks must be a multiple of 262144 bytes except the last.');
    }
    this.chunkPuts += 1;
    const fresh = req.body.subarray(s.receivedBytes - first);
    const cut = this.knobs.failNextChunkAfterBytes;
    if (cut !== undefined) {
      this.knobs.failNextChunkAfterBytes = undefined;
      this.store(s, fresh.subarray(0, Math.min(cut, fresh.length)));
      throw googleError(503, 'backendError', 'Backend Error', 'global');
    }
    this.store(s, fresh);
    if (s.receivedBytes < s.total) return this.incomplete(s);
    return complete(s, Buffer.concat(s.received));
  }

  private store(s: UploadSession, bytes: Buffer): void {
    if (!bytes.length) return;
    s.received.push(Buffer.from(bytes));
    s.receivedBytes += bytes.length;
  }

  private incomplete(s: UploadSession): RouteResponse {
    const headers: Record<string, string> = { 'x-guploader-uploadid': s.id };
    if (s.receivedBytes > 0) headers['range'] = `bytes=0-${s.receivedBytes - 1}`;
    return { status: 308, headers };
  }
}
