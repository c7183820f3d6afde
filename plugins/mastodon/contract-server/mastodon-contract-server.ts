// A local Mastodon instance faithful to ../shared/platforms/mastodon.md: per-instance apps and
// OAuth, statuses with Idempotency-Key (kept 1 h), media 202-then-poll, instance limits, and
// per-account rate limits with X-RateLimit-* headers (reset as an ISO 8601 instant).
import type { ContractFault, ContractPost, ContractServer } from '@sx/plugin-sdk';
import { statusLength } from '../src/status-length';
import { ContractHttpServer, HttpFailure, type Fault } from '@sx/plugin-sdk';
import { DEFAULT_LIMITS, registerInstance, type InstanceLimits } from './mastodon-instance';
import { MastodonMediaStore, type MediaKnobs } from './mastodon-media';
import { MastodonOAuth, readParams, type MastodonAccount } from './mastodon-oauth';

export interface MastodonStatus {
  id: string;
  content: string;
  spoilerText: string;
  visibility: string;
  mediaIds: string[];
  createdAt: string;
  inReplyToId: string | null;
  language: string | null;
  idempotencyKey?: string;
}

export interface MastodonContractOptions {
  now?: () => number;
  limits?: Partial<InstanceLimits>;
  /** Status creations per account per 5-minute window (upstream: 300 for all endpoints). */
  statusLimit?: number;
}

const WINDOW_MS = 5 * 60 * 1000;
const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;

export class MastodonContractServer implements ContractServer {
  readonly statuses: MastodonStatus[] = [];
  readonly oauth: MastodonOAuth;
  readonly mediaStore: MastodonMediaStore;
  readonly account: MastodonAccount;
  limits: InstanceLimits;
  statusLimit: number;
  url = '';
  private readonly http: ContractHttpServer;
  private readonly now: () => number;
  private readonly idempotency = new Map<string, { statusId: string; at: number }>();
  private window = { start: 0, used: 0 };
  private seq = 109_000_000_000_000_000n;

  constructor(opts: MastodonContractOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.statusLimit = opts.statusLimit ?? 300;
    this.account = { id: '1', username: 'sx', acct: 'sx', display_name: 'SX Tester', url: '' };
    this.http = new ContractHttpServer(() => ({ posts: this.posts(), stats: this.stats() }));
    this.http.failNextHandler = (f) => this.failNext(f as ContractFault);
    this.oauth = new MastodonOAuth(this.account, this.now);
    this.mediaStore = new MastodonMediaStore(this.oauth, () => this.limits, () => this.url);
    this.oauth.register(this.http);
    this.mediaStore.register(this.http);
    registerInstance(this.http, () => new URL(this.url).host, () => this.limits);
    this.registerStatuses();
  }

  get media(): MediaKnobs {
    return this.mediaStore.knobs;
  }

  async start(port = 0): Promise<string> {
    this.url = await this.http.start(port);
    this.account.url = `${this.url}/@${this.account.username}`;
    return this.url;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  injectFault(fault: Fault): void {
    this.http.injectFault(fault);
  }

  callsTo(route: string): number {
    return this.http.callsTo(route);
  }

  close(): Promise<void> {
    return this.stop();
  }

  posts(): readonly ContractPost[] {
    return this.statuses.map((s) => ({ id: s.id, text: s.content, key: s.idempotencyKey, mediaCount: s.mediaIds.length }));
  }

  stats(): { requests: number; refreshes: number } {
    return { requests: this.http.requestCount, refreshes: 0 };
  }

  /** Mastodon access tokens never expire (they are revoked instead): nothing to do. */
  expireAccessTokens(): void {
    return;
  }

  /** The conformance kit's faults, with the bodies and headers Mastodon really sends. */
  failNext(fault: ContractFault): void {
    const route = 'statuses.create';
    switch (fault.kind) {
      case 'rate_limited': {
        const headers = {
          'x-ratelimit-limit': '300',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': new Date(this.now() + fault.resetInMs).toISOString(),
        };
        return this.injectFault({ route: '*', status: 429, body: { error: 'Too many requests' }, headers });
      }
      case 'server_error':
        return this.injectFault({ route, status: 503, body: { error: 'Service Unavailable' } });
      case 'auth_expired':
        return this.injectFault({ route: '*', status: 401, body: { error: 'The access token is invalid' } });
      case 'rejected':
        return this.injectFault({ route, status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } });
      case 'commit_then_hang':
        return this.injectFault({ route, commit: 'hang' });
      case 'commit_then_drop':
        return this.injectFault({ route, commit: 'drop' });
    }
  }

  private registerStatuses(): void {
    this.http.route('POST', '/api/v1/statuses', 'statuses.create', (req) => {
      this.oauth.authorize(req.headers);
      const headers = this.consume();
      const key = req.headers['idempotency-key'];
      const idemKey = typeof key === 'string' && key ? `${this.account.id}:${key}` : undefined;
      const prior = idemKey ? this.idempotency.get(idemKey) : undefined;
      if (prior && this.now() - prior.at < IDEMPOTENCY_TTL_MS) {
        const existing = this.statuses.find((s) => s.id === prior.statusId);
        if (existing) return { status: 200, headers, body: this.view(existing) };
      }
      const p = readParams(req.body, req.headers['content-type']);
      const status = this.create(p);
      status.idempotencyKey = typeof key === 'string' && key ? key : undefined;
      if (idemKey) this.idempotency.set(idemKey, { statusId: status.id, at: this.now() });
      return { status: 200, headers, body: this.view(status) };
    });

    this.http.route('GET', '/api/v1/statuses/:id', 'statuses.get', (req) => {
      this.oauth.authorize(req.headers);
      const s = this.statuses.find((x) => x.id === req.params.id);
      if (!s) throw new HttpFailure(404, { error: 'Record not found' });
      return { status: 200, body: this.view(s) };
    });

    this.http.route('DELETE', '/api/v1/statuses/:id', 'statuses.delete', (req) => {
      this.oauth.authorize(req.headers);
      const idx = this.statuses.findIndex((x) => x.id === req.params.id);
      if (idx < 0) throw new HttpFailure(404, { error: 'Record not found' });
      const [s] = this.statuses.splice(idx, 1);
      return { status: 200, body: this.view(s) };
    });

    this.http.route('GET', '/api/v1/accounts/:id/statuses', 'accounts.statuses', (req) => {
      this.oauth.authorize(req.headers);
      if (req.params.id !== this.account.id) throw new HttpFailure(404, { error: 'Record not found' });
      const limit = Math.min(40, Math.max(1, Number(req.query.get('limit') ?? 20)));
      return { status: 200, body: this.statuses.slice(-limit).reverse().map((s) => this.view(s)) };
    });
  }

  private create(p: URLSearchParams): MastodonStatus {
    const text = p.get('status') ?? '';
    const spoiler = p.get('spoiler_text') ?? '';
    const mediaIds = p.getAll('media_ids[]');
    const l = this.limits;
    if (!text && mediaIds.length === 0) throw new HttpFailure(422, { error: "Validation failed: Text can't be blank" });
    if (statusLength(text, spoiler, l.charactersReservedPerUrl) > l.maxCharacters) {
      throw new HttpFailure(422, { error: `Validation failed: Text character limit of ${l.maxCharacters} exceeded` });
    }
    if (mediaIds.length > l.maxMediaAttachments) {
      throw new HttpFailure(422, { error: `Validation failed: Media attachments can't be more than ${l.maxMediaAttachments}` });
    }
    const media = mediaIds.map((id) => this.mediaStore.get(id));
    if (media.some((m) => !m || m.attached)) throw new HttpFailure(422, { error: 'Validation failed: Media attachments are invalid' });
    if (media.some((m) => m && !m.ready)) {
      throw new HttpFailure(422, { error: 'Cannot attach files that have not finished processing. Try again in a moment!' });
    }
    const visibility = p.get('visibility') ?? 'public';
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) {
      throw new HttpFailure(422, { error: 'Validation failed: Visibility is not included in the list' });
    }
    media.forEach((m) => m && (m.attached = true));
    this.seq += 1n;
    const status: MastodonStatus = {
      id: String(this.seq),
      content: text,
      spoilerText: spoiler,
      visibility,
      mediaIds,
      createdAt: new Date(this.now()).toISOString(),
      inReplyToId: p.get('in_reply_to_id'),
      language: p.get('language'),
    };
    this.statuses.push(status);
    return status;
  }

  private view(s: MastodonStatus) {
    const escaped = s.content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return {
      id: s.id,
      created_at: s.createdAt,
      in_reply_to_id: s.inReplyToId,
      sensitive: s.spoilerText !== '',
      spoiler_text: s.spoilerText,
      visibility: s.visibility,
      language: s.language,
      uri: `${this.url}/users/${this.account.username}/statuses/${s.id}`,
      url: `${this.url}/@${this.account.username}/${s.id}`,
      content: `<p>${escaped}</p>`,
      account: this.account,
      media_attachments: s.mediaIds.map((id) => {
        const m = this.mediaStore.get(id);
        return m ? this.mediaStore.view(m) : { id };
      }),
    };
  }

  private consume(): Record<string, string> {
    const now = this.now();
    if (now >= this.window.start + WINDOW_MS) this.window = { start: now, used: 0 };
    const reset = new Date(this.window.start + WINDOW_MS).toISOString();
    const headers = {
      'x-ratelimit-limit': String(this.statusLimit),
      'x-ratelimit-remaining': String(Math.max(0, this.statusLimit - this.window.used - 1)),
      'x-ratelimit-reset': reset,
    };
    if (this.window.used >= this.statusLimit) {
      throw new HttpFailure(429, { error: 'Too many requests' }, { ...headers, 'x-ratelimit-remaining': '0' });
    }
    this.window.used += 1;
    return headers;
  }
}
