// YouTube's resumable upload protocol (guides/using_resumable_upload_protocol): start a session, PUT
// chunks (multiples of 256 KiB) with Content-Range, and after a failed chunk ask the server with
// `Content-Range: bytes */N` which bytes it acknowledged, resuming right after the last one.
import type { Readable } from 'node:stream';
import { OutcomeUnknownError, RetryableError, type HttpResponse } from '@sx/plugin-sdk';
import { ChunkReader } from './chunk-reader';
import { classifyYouTube, credentialsOf, settingsOf, ytCall, type YouTubeContext } from './youtube-api';

/** Failed chunks/probes in a row before the attempt gives up (the host retries it later). */
const MAX_CONSECUTIVE_FAILURES = 4;

export interface UploadRequest {
  metadata: unknown;
  notifySubscribers: boolean;
  contentType: string;
  total: number;
  open(): Readable;
}

export interface UploadedVideo {
  id: string;
  status?: { uploadStatus?: string; privacyStatus?: string };
}

export interface UploadReport {
  video: UploadedVideo;
  chunks: number;
  resumes: number;
}

export async function startSession(ctx: YouTubeContext, u: UploadRequest): Promise<string> {
  const qs = new URLSearchParams({ uploadType: 'resumable', part: 'snippet,status', notifySubscribers: String(u.notifySubscribers) });
  try {
    const res = await ytCall(ctx, 'videos.insert', {
      method: 'POST',
      url: `/upload/youtube/v3/videos?${qs.toString()}`,
      headers: { 'x-upload-content-type': u.contentType, 'x-upload-content-length': String(u.total) },
      json: u.metadata,
    });
    const location = res.headers['location'];
    if (!location) throw new RetryableError('videos.insert answered without a session URI');
    return location;
  } catch (e) {
    // Nothing appears on the channel before the last byte arrives, so an unanswered session start is safe to repeat.
    if (e instanceof OutcomeUnknownError) throw new RetryableError(`videos.insert: ${e.message}`);
    throw e;
  }
}

/** Uploads every byte to the session, resuming from the server's acknowledged offset after a failure. */
export async function uploadToSession(ctx: YouTubeContext, session: string, u: UploadRequest): Promise<UploadReport> {
  const chunkSize = settingsOf(ctx.settings).uploadChunkBytes;
  const reader = new ChunkReader(u.open);
  let offset = 0;
  let failures = 0;
  let chunks = 0;
  let resumes = 0;
  try {
    for (;;) {
      const length = Math.min(chunkSize, u.total - offset);
      const last = offset + length - 1;
      const isFinal = last === u.total - 1;
      const body = await reader.read(offset, length);
      chunks += 1;
      let res: HttpResponse | undefined;
      try {
        res = await put(ctx, session, u.contentType, `bytes ${offset}-${last}/${u.total}`, body);
      } catch (e) {
        // The last byte may have landed and created the video with nobody hearing the answer: that is
        // for reconcile (the uploads playlist) to settle, never for a blind retry.
        if (isFinal) throw new OutcomeUnknownError(`final chunk of the upload got no answer: ${e instanceof Error ? e.message : String(e)}`);
        if (!(e instanceof RetryableError)) throw e;
      }
      const done = res && settle(ctx, res);
      if (done && 'video' in done) return { video: done.video, chunks, resumes };
      if (done && 'next' in done) {
        offset = done.next;
        failures = 0;
        continue;
      }
      // An answered 5xx or a lost intermediate chunk: ask the server what it has, resume after it.
      if (++failures >= MAX_CONSECUTIVE_FAILURES) throw new RetryableError(`upload failed ${failures} times in a row at byte ${offset}`);
      const probed = await probe(ctx, session, u.total);
      resumes += 1;
      if ('video' in probed) return { video: probed.video, chunks, resumes };
      offset = probed.next;
    }
  } finally {
    reader.close();
  }
}

async function put(ctx: YouTubeContext, session: string, contentType: string, range: string, body: Uint8Array): Promise<HttpResponse> {
  const c = credentialsOf(ctx.credentials);
  return ctx.http.request({
    method: 'PUT',
    url: session,
    headers: { authorization: `Bearer ${c.accessToken}`, 'content-type': contentType, 'content-range': range },
    body,
  });
}

/** 200/201: the video; 308: where to continue; 5xx: undefined (probe); 404/410 and other 4xx: thrown. */
function settle(ctx: YouTubeContext, res: HttpResponse): { video: UploadedVideo } | { next: number } | undefined {
  if (res.status === 200 || res.status === 201) {
    const video = res.json<UploadedVideo>();
    if (!video?.id) throw new OutcomeUnknownError('the upload finished but the answer named no video id');
    return { video };
  }
  if (res.status === 308) return { next: acknowledgedEnd(res) };
  if (res.status === 404 || res.status === 410) {
    throw new RetryableError('the upload session expired before the last byte; the next attempt starts a new one (nothing was published)');
  }
  if (res.status >= 500) return undefined;
  throw classifyYouTube(res, ctx.clock.nowMs(), 'video upload');
}

/** `Range: bytes=0-N` → N + 1; no Range header → nothing was kept, start at 0. */
function acknowledgedEnd(res: HttpResponse): number {
  const m = /bytes=0-(\d+)/.exec(res.headers['range'] ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

async function probe(ctx: YouTubeContext, session: string, total: number): Promise<{ video: UploadedVideo } | { next: number }> {
  for (let tries = 1; ; tries++) {
    const res = await put(ctx, session, 'application/octet-stream', `bytes */${total}`, new Uint8Array(0));
    const settled = settle(ctx, res);
    if (settled) return settled;
    if (tries >= MAX_CONSECUTIVE_FAILURES) throw new RetryableError(`upload status probe failed ${tries} times (HTTP ${res.status})`);
  }
}
