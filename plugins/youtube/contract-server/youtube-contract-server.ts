// A local YouTube Data API v3 + Google OAuth server faithful to ../shared/platforms/youtube.md:
// resumable uploads (308/Range, `bytes */N` probes, session expiry), metadata validation with the
// documented reasons, async processing (uploaded → processed | failed | rejected), the uploads
// playlist, thumbnails, the videos.insert bucket + unit quota resetting at midnight Pacific, the
// per-channel upload cap, the unaudited-project private lock and 1-hour access tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { ContractFault, ContractPost, ContractServer, Fault, RouteRequest } from '@sx/plugin-sdk';
import { ContractHttpServer, parseJson } from '@sx/plugin-sdk';
import { authErrorBody, googleError, googleErrorBody } from './google-errors';
import { GoogleOAuth } from './google-oauth';
import { YouTubeQuota, type QuotaKnobs } from './youtube-quota';
import { UploadSessions, type UploadSession, type VideoInsertBody } from './youtube-uploads';
import { advance, checkInsertBody, videoResource, type ProcessingOutcome, type StoredVideo } from './youtube-videos';

export interface YouTubeContractOptions {
  now?: () => number;
  quota?: Partial<QuotaKnobs>;
}

export interface YouTubeKnobs {
  /** False: the API project has not passed YouTube's audit, so every upload is locked to private. */
  audited: boolean;
  /** False: custom thumbnails are refused (the channel is not verified). */
  channelVerified: boolean;
  /** False: the Google account has no YouTube channel. */
  hasChannel: boolean;
  /** Status reads a new video stays `uploaded` / `processing` for. */
  processingPolls: number;
  /** How the next uploaded video's processing ends (then back to `processed`). */
  nextOutcome?: ProcessingOutcome;
}

export class YouTubeContractServer implements ContractServer {
  readonly videos: StoredVideo[] = [];
  readonly oauth: GoogleOAuth;
  readonly quota: YouTubeQuota;
  readonly uploads: UploadSessions;
  readonly knobs: YouTubeKnobs = { audited: true, channelVerified: true, hasChannel: true, processingPolls: 1 };
  readonly channel = { id: 'UCsxTestChannel0000000001', title: 'SX Test Channel', customUrl: '@sxtest' };
  private readonly http: ContractHttpServer;
  private readonly now: () => number;
  private completionFault?: 'hang' | 'drop';
  url = '';

  constructor(opts: YouTubeContractOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.oauth = new GoogleOAuth(this.now, 'sx-test.apps.googleusercontent.com', 'GOCSPX-contract-secret');
    this.quota = new YouTubeQuota(this.now, { insertsPerDay: 100, unitsPerDay: 10_000, uploadsPerChannelPerDay: 50, ...opts.quota });
    this.uploads = new UploadSessions(this.now);
    this.http = new ContractHttpServer(() => ({ posts: this.posts(), stats: this.stats(), quota: { inserts: this.quota.inserts, units: this.quota.units },
      videos: this.videos.map((v) => ({ id: v.id, bytes: v.bytes, sha256: v.sha256, contentType: v.contentType, privacyStatus: v.status.privacyStatus, uploadStatus: v.status.uploadStatus })) }));
    this.http.failNextHandler = (f) => this.failNext(f as ContractFault);
    this.oauth.register(this.http);
    this.registerRoutes();
  }

  get uploadsPlaylistId(): string {
    return `UU${this.channel.id.slice(2)}`;
  }

  async start(port = 0): Promise<string> {
    this.url = await this.http.start(port);
    return this.url;
  }

  close(): Promise<void> {
    return this.http.stop();
  }

  injectFault(fault: Fault): void {
    this.http.injectFault(fault);
  }

  callsTo(route: string): number {
    return this.http.callsTo(route);
  }

  posts(): readonly ContractPost[] {
    return this.videos.map((v) => ({ id: v.id, text: v.snippet.title, key: v.snippet.tags?.find((t) => t.startsWith('sx-')), mediaCount: 1 }));
  }

  stats(): { requests: number; refreshes: number } {
    return { requests: this.http.requestCount, refreshes: this.oauth.refreshCount };
  }

  expireAccessTokens(): void {
    this.oauth.expireAll();
  }

  /** The conformance kit's faults, each with the body (and headers) Google really sends. */
  failNext(fault: ContractFault): void {
    const body = googleErrorBody;
    switch (fault.kind) {
      case 'rate_limited':
        // Google's front end answers a short-term limit with 429 and Retry-After (seconds).
        return this.injectFault({ route: '*', status: 429, body: body(429, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'), headers: { 'retry-after': String(Math.ceil(fault.resetInMs / 1000)) } });
      case 'server_error':
        return this.injectFault({ route: 'videos.insert', status: 503, body: body(503, 'backendError', 'Backend Error', 'global') });
      case 'auth_expired':
        return this.injectFault({ route: '*', status: 401, body: authErrorBody() });
      case 'rejected':
        return this.injectFault({ route: 'videos.insert', status: 400, body: body(400, 'invalidVideoMetadata', 'The request metadata is invalid.') });
      // On the PUT that delivers the last byte: the video exists, the answer is lost.
      case 'commit_then_hang':
      case 'commit_then_drop':
        this.completionFault = fault.kind === 'commit_then_hang' ? 'hang' : 'drop';
        return;
    }
  }

  private authed(req: RouteRequest, units: number): void {
    this.oauth.authorize(req.headers);
    if (units) this.quota.spendUnits(units);
  }

  private registerRoutes(): void {
    this.http.route('GET', '/youtube/v3/channels', 'channels.list', (req) => {
      this.authed(req, 1);
      if (req.query.get('mine') !== 'true') throw googleError(400, 'missingRequiredParameter', 'No filter selected.', 'youtube.parameter');
      const items = this.knobs.hasChannel
        ? [{ kind: 'youtube#channel', id: this.channel.id, snippet: { title: this.channel.title, customUrl: this.channel.customUrl }, contentDetails: { relatedPlaylists: { likes: '', uploads: this.uploadsPlaylistId } } }]
        : [];
      return { status: 200, body: { kind: 'youtube#channelListResponse', pageInfo: { totalResults: items.length, resultsPerPage: 5 }, items } };
    });

    this.http.route('POST', '/upload/youtube/v3/videos', 'videos.insert', (req) => {
      this.oauth.authorize(req.headers);
      if (req.query.get('uploadType') !== 'resumable') throw googleError(400, 'badRequest', 'Only uploadType=resumable is served here.', 'global');
      if (!this.knobs.hasChannel) throw googleError(401, 'youtubeSignupRequired', 'The user does not have a YouTube channel.', 'youtube.header');
      const total = Number(req.headers['x-upload-content-length']);
      const type = String(req.headers['x-upload-content-type'] ?? '');
      if (!Number.isInteger(total) || total <= 0) throw googleError(400, 'mediaBodyRequired', 'The request does not include the video content.');
      if (!/^video\//.test(type)) throw googleError(400, 'invalidVideoMetadata', 'X-Upload-Content-Type must be a video type.');
      const meta = parseJson(req.body) as VideoInsertBody;
      checkInsertBody(meta, this.now());
      this.quota.spendInsert();
      const session = this.uploads.open(total, type, meta, req.query.get('notifySubscribers') !== 'false');
      return { status: 200, headers: { location: `${this.url}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${session.id}` } };
    });

    this.http.route('PUT', '/upload/youtube/v3/videos', 'videos.upload', (req) => this.uploads.put(req, (s, bytes) => this.complete(s, bytes)));

    this.http.route('GET', '/youtube/v3/videos', 'videos.list', (req) => {
      this.authed(req, 1);
      const parts = (req.query.get('part') ?? '').split(',');
      const ids = (req.query.get('id') ?? '').split(',').filter(Boolean);
      const found = this.videos.filter((v) => ids.includes(v.id) && v.status.uploadStatus !== 'deleted');
      for (const v of found) advance(v);
      return { status: 200, body: { kind: 'youtube#videoListResponse', items: found.map((v) => videoResource(v, parts)), pageInfo: { totalResults: found.length, resultsPerPage: found.length } } };
    });

    this.http.route('GET', '/youtube/v3/playlistItems', 'playlistItems.list', (req) => {
      this.authed(req, 1);
      if (req.query.get('playlistId') !== this.uploadsPlaylistId) throw googleError(404, 'playlistNotFound', 'The playlist identified with the request\'s playlistId parameter cannot be found.', 'youtube.playlistItem');
      const max = Math.min(50, Number(req.query.get('maxResults') ?? 5));
      const items = [...this.videos].reverse().filter((v) => v.status.uploadStatus !== 'deleted').slice(0, max).map((v) => ({
        kind: 'youtube#playlistItem',
        id: `PLI${v.id}`,
        snippet: { publishedAt: v.snippet.publishedAt, channelId: v.snippet.channelId, title: v.snippet.title, description: v.snippet.description ?? '', playlistId: this.uploadsPlaylistId, resourceId: { kind: 'youtube#video', videoId: v.id } },
        contentDetails: { videoId: v.id, videoPublishedAt: v.snippet.publishedAt },
      }));
      return { status: 200, body: { kind: 'youtube#playlistItemListResponse', items, pageInfo: { totalResults: items.length, resultsPerPage: max } } };
    });

    this.http.route('POST', '/upload/youtube/v3/thumbnails/set', 'thumbnails.set', (req) => {
      this.authed(req, 50);
      const v = this.videos.find((x) => x.id === req.query.get('videoId'));
      if (!v) throw googleError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.', 'youtube.thumbnail');
      if (!this.knobs.channelVerified) throw googleError(403, 'forbidden', 'The authenticated user doesn\'t have permissions to upload and set custom video thumbnails.', 'youtube.thumbnail');
      const type = String(req.headers['content-type'] ?? '');
      if (!req.body.length) throw googleError(400, 'mediaBodyRequired', 'The request does not include the image content.', 'youtube.thumbnail');
      if (!/^image\/(jpeg|png)$/.test(type)) throw googleError(400, 'imageFormatUnsupported', 'The image content provided is not supported.', 'youtube.thumbnail');
      if (req.body.length > 2 * 1024 * 1024) throw googleError(413, 'mediaBodyTooLarge', 'The thumbnail is larger than 2 MB.', 'youtube.thumbnail');
      v.thumbnail = { contentType: type, bytes: req.body.length };
      return { status: 200, body: { kind: 'youtube#thumbnailSetResponse', items: [{ default: { url: `https://i.ytimg.com/vi/${v.id}/default.jpg`, width: 120, height: 90 } }] } };
    });
  }

  /** The final byte arrived: the video exists on the channel (exactly once per session). */
  private complete(s: UploadSession, bytes: Buffer) {
    if (!s.videoId) {
      const outcome = this.knobs.nextOutcome ?? { kind: 'processed' };
      this.knobs.nextOutcome = undefined;
      const privacy = this.knobs.audited ? (s.metadata.status?.privacyStatus ?? 'public') : 'private';
      const madeForKids = s.metadata.status?.selfDeclaredMadeForKids ?? false;
      const v: StoredVideo = {
        id: randomBytes(8).toString('base64url').slice(0, 11),
        snippet: { ...s.metadata.snippet, categoryId: s.metadata.snippet.categoryId ?? '22', channelId: this.channel.id, publishedAt: new Date(this.now()).toISOString() },
        status: { uploadStatus: 'uploaded', privacyStatus: privacy, ...(s.metadata.status?.publishAt ? { publishAt: s.metadata.status.publishAt } : {}), selfDeclaredMadeForKids: madeForKids, madeForKids },
        processingDetails: { processingStatus: 'processing' },
        bytes: s.total,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentType: s.contentType,
        pollsLeft: this.knobs.processingPolls,
        outcome,
        notifySubscribers: s.notifySubscribers,
      };
      this.videos.push(v);
      s.videoId = v.id;
    }
    const v = this.videos.find((x) => x.id === s.videoId) as StoredVideo;
    const thenFail = this.completionFault;
    this.completionFault = undefined;
    return { status: 201, body: videoResource(v, ['snippet', 'status']), ...(thenFail ? { thenFail } : {}) };
  }
}

export async function startYouTubeContractServer(opts: YouTubeContractOptions = {}): Promise<YouTubeContractServer> {
  const server = new YouTubeContractServer(opts);
  await server.start();
  return server;
}
