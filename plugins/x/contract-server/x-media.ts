// X API v2 media upload: one-shot image upload, chunked INIT/APPEND/FINALIZE/STATUS and alt text
// (docs.x.com x-api/media/quickstart/media-upload-chunked).
import { randomInt } from 'node:crypto';
import { ContractHttpServer, HttpFailure, parseJson, parseMultipart } from '@sx/plugin-sdk';
import type { XAuth } from './x-auth';

export interface XMedia {
  id: string;
  mediaKey: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  segments: Map<number, Buffer>;
  state: 'uploading' | 'pending' | 'in_progress' | 'succeeded' | 'failed';
  statusPolls: number;
  altText?: string;
  ownerId: string;
}

export interface MediaKnobs {
  /** STATUS polls answered with pending/in_progress before the media succeeds. */
  pollsUntilReady: number;
  /** When set, processing ends in `failed` with this message. */
  failProcessingWith?: string;
  checkAfterSecs: number;
}

const IMAGE_MAX = 5 * 1024 * 1024;
const GIF_MAX = 15 * 1024 * 1024;
const invalid = (detail: string) =>
  new HttpFailure(400, {
    title: 'Invalid Request',
    detail,
    type: 'https://api.x.com/2/problems/invalid-request',
    status: 400,
  });

export class XMediaStore {
  readonly media = new Map<string, XMedia>();
  readonly knobs: MediaKnobs = { pollsUntilReady: 2, checkAfterSecs: 1 };

  constructor(private readonly auth: XAuth) {}

  isReady(id: string, ownerId: string): boolean {
    const m = this.media.get(id);
    return !!m && m.ownerId === ownerId && m.state === 'succeeded';
  }

  register(http: ContractHttpServer): void {
    http.route('POST', '/2/media/upload', 'media.upload', (req) => {
      const owner = this.auth.authorize(req.headers);
      const parts = parseMultipart(req.body, req.headers['content-type']);
      const file = parts.find((p) => p.name === 'media');
      const category = parts.find((p) => p.name === 'media_category')?.data.toString();
      if (!file || !category) throw invalid('media and media_category are required');
      if (file.data.length > IMAGE_MAX) throw invalid('File size exceeds 5242880 bytes.');
      const m = this.create(owner, file.contentType ?? 'image/jpeg', category, file.data.length);
      m.segments.set(0, file.data);
      m.state = 'succeeded';
      return { status: 200, body: { data: this.view(m) } };
    });

    http.route('POST', '/2/media/upload/initialize', 'media.init', (req) => {
      const owner = this.auth.authorize(req.headers);
      const body = parseJson(req.body) as { media_type?: string; total_bytes?: number; media_category?: string };
      if (!body.media_type || !Number.isInteger(body.total_bytes) || (body.total_bytes ?? 0) <= 0) {
        throw invalid('media_type and total_bytes are required');
      }
      const category = body.media_category ?? 'tweet_image';
      const max = category === 'tweet_gif' ? GIF_MAX : category === 'tweet_image' ? IMAGE_MAX : 16 * 1024 ** 3;
      if ((body.total_bytes ?? 0) > max) throw invalid(`total_bytes exceeds ${max} for ${category}`);
      const m = this.create(owner, body.media_type, category, body.total_bytes ?? 0);
      return { status: 200, body: { data: { id: m.id, media_key: m.mediaKey, expires_after_secs: 86400 } } };
    });

    http.route('POST', '/2/media/upload/:id/append', 'media.append', (req) => {
      const m = this.owned(req.params.id, this.auth.authorize(req.headers));
      const parts = parseMultipart(req.body, req.headers['content-type']);
      const index = Number(parts.find((p) => p.name === 'segment_index')?.data.toString());
      const chunk = parts.find((p) => p.name === 'media');
      if (!Number.isInteger(index) || index < 0 || index > 999 || !chunk) throw invalid('segment_index and media required');
      if (chunk.data.length > 5 * 1024 * 1024) throw invalid('segment larger than 5 MB');
      if (m.state !== 'uploading') throw invalid('media already finalized');
      m.segments.set(index, chunk.data);
      return { status: 204 };
    });

    http.route('POST', '/2/media/upload/:id/finalize', 'media.finalize', (req) => {
      const m = this.owned(req.params.id, this.auth.authorize(req.headers));
      const received = [...m.segments.values()].reduce((n, b) => n + b.length, 0);
      if (received !== m.totalBytes) {
        throw invalid(`File size mismatch: expected ${m.totalBytes} bytes, received ${received}`);
      }
      const isAsync = m.category === 'tweet_video' || m.category === 'tweet_gif' || m.category === 'amplify_video';
      m.state = isAsync ? 'pending' : 'succeeded';
      return { status: 200, body: { data: this.view(m) } };
    });

    http.route('GET', '/2/media/upload', 'media.status', (req) => {
      const owner = this.auth.authorize(req.headers);
      if (req.query.get('command') !== 'STATUS') throw invalid('command must be STATUS');
      const m = this.owned(req.query.get('media_id') ?? '', owner);
      if (m.state === 'pending' || m.state === 'in_progress') this.advance(m);
      return { status: 200, body: { data: this.view(m) } };
    });

    http.route('POST', '/2/media/metadata', 'media.metadata', (req) => {
      const owner = this.auth.authorize(req.headers);
      const body = parseJson(req.body) as { id?: string; metadata?: { alt_text?: { text?: string } } };
      const m = this.owned(body.id ?? '', owner);
      const text = body.metadata?.alt_text?.text ?? '';
      if (text.length > 1000) throw invalid('alt_text must be at most 1000 characters');
      m.altText = text;
      return { status: 200, body: { data: { id: m.id, associated_metadata: true } } };
    });
  }

  private advance(m: XMedia): void {
    m.statusPolls += 1;
    if (m.statusPolls < this.knobs.pollsUntilReady) {
      m.state = 'in_progress';
      return;
    }
    m.state = this.knobs.failProcessingWith ? 'failed' : 'succeeded';
  }

  private create(ownerId: string, mediaType: string, category: string, totalBytes: number): XMedia {
    const id = String(1_880_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 47)));
    const m: XMedia = {
      id,
      mediaKey: `${category === 'tweet_image' ? 3 : 13}_${id}`,
      mediaType,
      category,
      totalBytes,
      segments: new Map(),
      state: 'uploading',
      statusPolls: 0,
      ownerId,
    };
    this.media.set(id, m);
    return m;
  }

  private owned(id: string, ownerId: string): XMedia {
    const m = this.media.get(id);
    if (!m || m.ownerId !== ownerId) throw invalid(`media_id ${id} not found`);
    return m;
  }

  private view(m: XMedia) {
    const base = { id: m.id, media_key: m.mediaKey, size: m.totalBytes, expires_after_secs: 86400 };
    if (m.state === 'succeeded' && m.statusPolls === 0) return base;
    const info: Record<string, unknown> = { state: m.state };
    if (m.state === 'pending' || m.state === 'in_progress') {
      info.check_after_secs = this.knobs.checkAfterSecs;
      info.progress_percent = Math.min(99, m.statusPolls * 30);
    } else if (m.state === 'failed') {
      info.error = { code: 1, name: 'InvalidMedia', message: this.knobs.failProcessingWith };
    } else info.progress_percent = 100;
    return { ...base, processing_info: info };
  }
}
