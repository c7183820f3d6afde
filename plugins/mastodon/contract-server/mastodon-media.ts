// POST /api/v2/media (200 processed / 202 processing) and GET /api/v1/media/:id (206 while
// processing, 200 when done, 404 once attached), per docs.joinmastodon.org methods/media.
import { ContractHttpServer, HttpFailure, parseMultipart } from '@sx/plugin-sdk';
import { readParams, type MastodonOAuth } from './mastodon-oauth';
import type { InstanceLimits } from './mastodon-instance';

export interface MastodonMedia {
  id: string;
  type: 'image' | 'video' | 'gifv' | 'audio';
  mimeType: string;
  size: number;
  description: string | null;
  polls: number;
  ready: boolean;
  attached: boolean;
}

export interface MediaKnobs {
  /** GET polls answered 206 before an async upload is processed. */
  pollsUntilReady: number;
}

export class MastodonMediaStore {
  readonly media = new Map<string, MastodonMedia>();
  readonly knobs: MediaKnobs = { pollsUntilReady: 2 };
  private seq = 110_000_000_000_000_000n;

  constructor(
    private readonly oauth: MastodonOAuth,
    private readonly limits: () => InstanceLimits,
    private readonly baseUrl: () => string,
  ) {}

  get(id: string): MastodonMedia | undefined {
    return this.media.get(id);
  }

  register(http: ContractHttpServer): void {
    http.route('POST', '/api/v2/media', 'media.upload', (req) => {
      this.oauth.authorize(req.headers);
      const parts = parseMultipart(req.body, req.headers['content-type']);
      const file = parts.find((p) => p.name === 'file');
      const description = parts.find((p) => p.name === 'description')?.data.toString('utf8') ?? null;
      if (!file || !file.contentType) throw new HttpFailure(422, { error: "Validation failed: File can't be blank" });
      const limits = this.limits();
      if (!limits.supportedMimeTypes.includes(file.contentType)) {
        throw new HttpFailure(422, { error: 'Validation failed: File content type is invalid, File is invalid' });
      }
      const isImage = file.contentType.startsWith('image/') && file.contentType !== 'image/gif';
      const max = isImage ? limits.imageSizeLimit : limits.videoSizeLimit;
      if (file.data.length > max) {
        throw new HttpFailure(422, { error: `Validation failed: File file size must be less than ${max} Bytes` });
      }
      if (description && [...description].length > limits.descriptionLimit) {
        throw new HttpFailure(422, { error: `Validation failed: Description is too long (maximum is ${limits.descriptionLimit} characters)` });
      }
      this.seq += 1n;
      const m: MastodonMedia = {
        id: String(this.seq),
        type: isImage ? 'image' : file.contentType === 'image/gif' ? 'gifv' : file.contentType.startsWith('audio/') ? 'audio' : 'video',
        mimeType: file.contentType,
        size: file.data.length,
        description,
        polls: 0,
        ready: isImage,
        attached: false,
      };
      this.media.set(m.id, m);
      return { status: m.ready ? 200 : 202, body: this.view(m) };
    });

    http.route('GET', '/api/v1/media/:id', 'media.get', (req) => {
      this.oauth.authorize(req.headers);
      const m = this.media.get(req.params.id);
      if (!m || m.attached) throw new HttpFailure(404, { error: 'Record not found' });
      if (!m.ready) {
        m.polls += 1;
        if (m.polls >= this.knobs.pollsUntilReady) m.ready = true;
      }
      return { status: m.ready ? 200 : 206, body: this.view(m) };
    });

    http.route('PUT', '/api/v1/media/:id', 'media.update', (req) => {
      this.oauth.authorize(req.headers);
      const m = this.media.get(req.params.id);
      if (!m || m.attached) throw new HttpFailure(404, { error: 'Record not found' });
      const p = readParams(req.body, req.headers['content-type']);
      if (p.has('description')) m.description = p.get('description');
      return { status: 200, body: this.view(m) };
    });
  }

  view(m: MastodonMedia) {
    const url = m.ready ? `${this.baseUrl()}/system/media_attachments/files/${m.id}/original` : null;
    return {
      id: m.id,
      type: m.type,
      url,
      preview_url: url,
      remote_url: null,
      description: m.description,
      blurhash: null,
      meta: {},
    };
  }
}
