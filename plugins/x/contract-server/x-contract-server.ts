// A local X API v2 server faithful to ../shared/platforms/x.md: OAuth2 PKCE with rotating refresh
// tokens, POST /2/tweets (201, duplicate-content 403, weighted 280 limit), chunked media with
// async processing, per-user rate limits with x-rate-limit-* headers and 429s.
import { randomInt } from 'node:crypto';
import type { ContractFault, ContractPost, ContractServer } from '@sx/plugin-sdk';
import { ContractHttpServer, HttpFailure, parseJson, xWeightedLength, type Fault } from '@sx/plugin-sdk';
import { XAuth, type XUser } from './x-auth';
import { XMediaStore, type MediaKnobs } from './x-media';

/** X's limit for standard accounts, in weighted characters (docs.x.com counting-characters). */
const X_MAX_WEIGHTED_LENGTH = 280;

export interface XTweet {
  id: string;
  text: string;
  authorId: string;
  createdAt: string;
  mediaIds: string[];
  replyTo?: string;
}

export interface XContractOptions {
  now?: () => number;
  clientId?: string;
  /** Confidential client secret; undefined = public PKCE client. */
  clientSecret?: string;
  user?: XUser;
  /** POST /2/tweets per user per 15-minute window. */
  tweetLimit?: number;
}

const WINDOW_MS = 15 * 60 * 1000;
const problem = (status: number, type: string, title: string, detail: string) =>
  new HttpFailure(status, { title, detail, type: `https://api.x.com/2/problems/${type}`, status });

export class XContractServer implements ContractServer {
  readonly tweets: XTweet[] = [];
  readonly auth: XAuth;
  readonly mediaStore: XMediaStore;
  readonly user: XUser;
  readonly clientId: string;
  tweetLimit: number;
  private readonly http: ContractHttpServer;
  private readonly now: () => number;
  private readonly windows = new Map<string, { start: number; used: number }>();
  url = '';

  constructor(opts: XContractOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.user = opts.user ?? { id: '2244994945', username: 'sx_tester', name: 'SX Tester' };
    this.clientId = opts.clientId ?? 'sx-client';
    this.tweetLimit = opts.tweetLimit ?? 100;
    this.http = new ContractHttpServer(() => ({ posts: this.posts(), stats: this.stats() }));
    this.http.failNextHandler = (f) => this.failNext(f as ContractFault);
    this.auth = new XAuth(this.now, this.user, new Map([[this.clientId, opts.clientSecret]]));
    this.mediaStore = new XMediaStore(this.auth);
    this.auth.register(this.http);
    this.mediaStore.register(this.http);
    this.registerTweets();
  }

  get media(): MediaKnobs {
    return this.mediaStore.knobs;
  }

  async start(port = 0): Promise<string> {
    this.url = await this.http.start(port);
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
    return this.tweets.map((t) => ({ id: t.id, text: t.text, mediaCount: t.mediaIds.length }));
  }

  stats(): { requests: number; refreshes: number } {
    return { requests: this.http.requestCount, refreshes: this.auth.refreshCount };
  }

  expireAccessTokens(): void {
    this.auth.expireAll();
  }

  /** The conformance kit's faults, each with the body and headers X really sends. */
  failNext(fault: ContractFault): void {
    const route = 'tweets.create';
    switch (fault.kind) {
      case 'rate_limited': {
        const reset = String(Math.ceil((this.now() + fault.resetInMs) / 1000));
        const body = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded', status: 429 };
        return this.injectFault({ route: '*', status: 429, body, headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset } });
      }
      case 'server_error':
        return this.injectFault({ route, status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } });
      case 'auth_expired':
        return this.injectFault({ route: '*', status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } });
      case 'rejected':
        return this.injectFault({
          route,
          status: 403,
          body: { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'You are not allowed to create a Tweet with duplicate content.' },
        });
      case 'commit_then_hang':
        return this.injectFault({ route, commit: 'hang' });
      case 'commit_then_drop':
        return this.injectFault({ route, commit: 'drop' });
    }
  }

  private registerTweets(): void {
    this.http.route('POST', '/2/tweets', 'tweets.create', (req) => {
      const userId = this.auth.authorize(req.headers);
      const headers = this.consume(userId, 'tweets.create');
      const body = parseJson(req.body) as {
        text?: string;
        media?: { media_ids?: string[] };
        reply?: { in_reply_to_tweet_id?: string };
      };
      const text = body.text ?? '';
      const mediaIds = body.media?.media_ids ?? [];
      if (!text && mediaIds.length === 0) throw problem(400, 'invalid-request', 'Invalid Request', 'text or media required');
      if (xWeightedLength(text) > X_MAX_WEIGHTED_LENGTH) {
        throw problem(400, 'invalid-request', 'Invalid Request', 'Your Tweet text is too long.');
      }
      if (mediaIds.length > 4) throw problem(400, 'invalid-request', 'Invalid Request', 'maximum of 4 items');
      for (const id of mediaIds) {
        if (!this.mediaStore.isReady(id, userId)) {
          throw problem(400, 'invalid-request', 'Invalid Request', 'Your media IDs are invalid.');
        }
      }
      if (text && this.tweets.some((t) => t.authorId === userId && t.text === text)) {
        throw problem(403, 'about:blank', 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
      }
      const tweet: XTweet = {
        id: String(1_445_880_548_472_328_192n + BigInt(randomInt(1, 2 ** 47))),
        text,
        authorId: userId,
        createdAt: new Date(this.now()).toISOString(),
        mediaIds,
        replyTo: body.reply?.in_reply_to_tweet_id,
      };
      this.tweets.push(tweet);
      return { status: 201, headers, body: { data: { id: tweet.id, text: tweet.text } } };
    });

    this.http.route('GET', '/2/tweets/:id', 'tweets.get', (req) => {
      this.auth.authorize(req.headers);
      const t = this.tweets.find((x) => x.id === req.params.id);
      if (!t) {
        return {
          status: 200,
          body: { errors: [{ resource_id: req.params.id, title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found' }] },
        };
      }
      return { status: 200, body: { data: this.view(t) } };
    });

    this.http.route('GET', '/2/users/:id/tweets', 'users.tweets', (req) => {
      this.auth.authorize(req.headers);
      const max = Math.min(100, Math.max(5, Number(req.query.get('max_results') ?? 10)));
      const data = this.tweets
        .filter((t) => t.authorId === req.params.id)
        .slice(-max)
        .reverse()
        .map((t) => this.view(t));
      return { status: 200, body: { data, meta: { result_count: data.length } } };
    });

    this.http.route('DELETE', '/2/tweets/:id', 'tweets.delete', (req) => {
      const userId = this.auth.authorize(req.headers);
      const idx = this.tweets.findIndex((t) => t.id === req.params.id && t.authorId === userId);
      if (idx >= 0) this.tweets.splice(idx, 1);
      return { status: 200, body: { data: { deleted: idx >= 0 } } };
    });
  }

  private view(t: XTweet) {
    return { id: t.id, text: t.text, created_at: t.createdAt, author_id: t.authorId };
  }

  /** Fixed 15-minute window per user; answers 429 with x-rate-limit-reset (unix seconds) when spent. */
  private consume(userId: string, route: string): Record<string, string> {
    const key = `${userId}:${route}`;
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + WINDOW_MS) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    const reset = String(Math.ceil((w.start + WINDOW_MS) / 1000));
    if (w.used >= this.tweetLimit) {
      const headers = { 'x-rate-limit-limit': String(this.tweetLimit), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset };
      const body = {
        title: 'Too Many Requests',
        detail: 'Too Many Requests',
        type: 'https://api.x.com/2/problems/rate-limit-exceeded',
        status: 429,
      };
      throw new HttpFailure(429, body, headers);
    }
    w.used += 1;
    return {
      'x-rate-limit-limit': String(this.tweetLimit),
      'x-rate-limit-remaining': String(this.tweetLimit - w.used),
      'x-rate-limit-reset': reset,
    };
  }
}
