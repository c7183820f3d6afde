// A local PDS speaking the XRPC subset a publisher uses, faithful to ../shared/platforms/bluesky.md
// and to what the reference PDS 0.4 answers: sessions with rotating refresh, uploadBlob,
// createRecord with caller-chosen rkey (duplicate rkey → 500 as the reference PDS does),
// getRecord (400 RecordNotFound), lexicon limits, RateLimit-* headers and 429 RateLimitExceeded.
import { createHash } from 'node:crypto';
import type { ContractFault, ContractPost, ContractServer } from '@sx/plugin-sdk';
import { ContractHttpServer, HttpFailure, parseJson, type Fault } from '@sx/plugin-sdk';
import { BskySessions, type BskyAccount } from './bluesky-session';
import { validatePostRecord, type StoredBlob } from './post-lexicon';
import { BskyVideoService, type VideoKnobs } from './bluesky-video';

export interface BskyBlob {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

export interface StoredRecord {
  uri: string;
  cid: string;
  rkey: string;
  repo: string;
  collection: string;
  value: Record<string, unknown>;
}

export interface BlueskyContractOptions {
  now?: () => number;
  accounts?: BskyAccount[];
  /** createRecord calls per account per hour (reference: 5000 points/h at 3 points per create). */
  writeLimit?: number;
}

const WRITE_WINDOW_MS = 60 * 60 * 1000;
const TID_RE = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const invalid = (message: string) => new HttpFailure(400, { error: 'InvalidRequest', message });
const cidOf = (data: Buffer | string, prefix: string) =>
  prefix + createHash('sha256').update(data).digest('hex').slice(0, 52);

export class BlueskyContractServer implements ContractServer {
  readonly records: StoredRecord[] = [];
  readonly blobs = new Map<string, StoredBlob>();
  readonly sessions: BskySessions;
  readonly videoService: BskyVideoService;
  readonly accounts: BskyAccount[];
  writeLimit: number;
  url = '';
  private readonly http: ContractHttpServer;
  private readonly now: () => number;
  private writes = new Map<string, { start: number; used: number }>();

  constructor(opts: BlueskyContractOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.accounts = opts.accounts ?? [{ did: 'did:plc:sxtester0000000000000000', handle: 'sx.test', password: 'abcd-efgh-ijkl-mnop' }];
    this.writeLimit = opts.writeLimit ?? 1666;
    this.http = new ContractHttpServer(() => ({ posts: this.posts(), stats: this.stats() }));
    this.http.failNextHandler = (f) => this.failNext(f as ContractFault);
    this.sessions = new BskySessions(this.accounts, this.now);
    this.sessions.register(this.http);
    this.videoService = new BskyVideoService(this.sessions, this.blobs, () => this.serviceDid);
    this.videoService.register(this.http);
    this.registerRepo();
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

  /** did:web of this server (it plays both the PDS and the video service). */
  get serviceDid(): string {
    return `did:web:${encodeURIComponent(new URL(this.url).host)}`;
  }

  get video(): VideoKnobs {
    return this.videoService.knobs;
  }

  postRecords(): StoredRecord[] {
    return this.records.filter((r) => r.collection === 'app.bsky.feed.post');
  }

  posts(): readonly ContractPost[] {
    return this.postRecords().map((r) => {
      const embed = r.value.embed as { images?: unknown[] } | undefined;
      return { id: r.uri, text: String(r.value.text ?? ''), key: r.rkey, mediaCount: embed?.images?.length ?? 0 };
    });
  }

  close(): Promise<void> {
    return this.stop();
  }

  stats(): { requests: number; refreshes: number } {
    return { requests: this.http.requestCount, refreshes: this.sessions.refreshCount };
  }

  expireAccessTokens(): void {
    this.sessions.expireAll();
  }

  /** The conformance kit's faults, with the bodies and headers the reference PDS sends. */
  failNext(fault: ContractFault): void {
    const route = 'createRecord';
    switch (fault.kind) {
      case 'rate_limited': {
        const headers = {
          'ratelimit-limit': String(this.writeLimit),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.ceil((this.now() + fault.resetInMs) / 1000)),
          'ratelimit-policy': `${this.writeLimit};w=3600`,
        };
        return this.injectFault({ route: '*', status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers });
      }
      case 'server_error':
        return this.injectFault({ route, status: 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } });
      case 'auth_expired':
        return this.injectFault({ route: '*', status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } });
      case 'rejected':
        return this.injectFault({
          route,
          status: 400,
          body: { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text' },
        });
      case 'commit_then_hang':
        return this.injectFault({ route, commit: 'hang' });
      case 'commit_then_drop':
        return this.injectFault({ route, commit: 'drop' });
    }
  }

  private registerRepo(): void {
    this.http.route('POST', '/xrpc/com.atproto.repo.uploadBlob', 'uploadBlob', (req) => {
      const did = this.sessions.authorize(req.headers);
      const mimeType = req.headers['content-type'] ?? '*/*';
      const blob: BskyBlob = { $type: 'blob', ref: { $link: cidOf(req.body, 'bafkrei') }, mimeType, size: req.body.length };
      this.blobs.set(blob.ref.$link, { blob, data: req.body, owner: did });
      return { status: 200, body: { blob } };
    });

    this.http.route('POST', '/xrpc/com.atproto.repo.createRecord', 'createRecord', (req) => {
      const did = this.sessions.authorize(req.headers);
      const body = parseJson(req.body) as { repo?: string; collection?: string; rkey?: string; record?: Record<string, unknown> };
      if (body.repo !== did) throw invalid('Repo does not match authenticated user');
      const headers = this.consumeWrite(did);
      const rkey = body.rkey ?? this.tidNow();
      if (!TID_RE.test(rkey)) throw invalid('Invalid record key');
      if (!body.collection || !body.record) throw invalid('Input must have the properties "collection" and "record"');
      if (body.collection === 'app.bsky.feed.post') validatePostRecord(body.record, did, this.blobs);
      if (this.records.some((r) => r.repo === did && r.collection === body.collection && r.rkey === rkey)) {
        // The reference PDS 0.4 answers a duplicate record key with a bare 500.
        throw new HttpFailure(500, { error: 'InternalServerError', message: 'Internal Server Error' });
      }
      const uri = `at://${did}/${body.collection}/${rkey}`;
      const stored: StoredRecord = { uri, cid: cidOf(JSON.stringify(body.record), 'bafyrei'), rkey, repo: did, collection: body.collection, value: body.record };
      this.records.push(stored);
      return {
        status: 200,
        headers,
        body: { uri, cid: stored.cid, commit: { cid: cidOf(uri, 'bafyrei'), rev: this.tidNow() }, validationStatus: 'valid' },
      };
    });

    this.http.route('GET', '/xrpc/com.atproto.repo.getRecord', 'getRecord', (req) => {
      const q = req.query;
      const repo = this.resolveRepo(q.get('repo') ?? '');
      const r = this.records.find((x) => x.repo === repo && x.collection === q.get('collection') && x.rkey === q.get('rkey'));
      if (!r) {
        throw new HttpFailure(400, {
          error: 'RecordNotFound',
          message: `Could not locate record: at://${repo}/${q.get('collection')}/${q.get('rkey')}`,
        });
      }
      return { status: 200, body: { uri: r.uri, cid: r.cid, value: r.value } };
    });

    this.http.route('POST', '/xrpc/com.atproto.repo.deleteRecord', 'deleteRecord', (req) => {
      const did = this.sessions.authorize(req.headers);
      const body = parseJson(req.body) as { repo?: string; collection?: string; rkey?: string };
      if (body.repo !== did) throw invalid('Repo does not match authenticated user');
      const idx = this.records.findIndex((r) => r.repo === did && r.collection === body.collection && r.rkey === body.rkey);
      if (idx >= 0) this.records.splice(idx, 1);
      return { status: 200, body: {} };
    });

    this.http.route('GET', '/xrpc/com.atproto.sync.getBlob', 'getBlob', (req) => {
      const b = this.blobs.get(req.query.get('cid') ?? '');
      if (!b) throw invalid('Blob not found');
      return { status: 200, headers: { 'content-type': b.blob.mimeType }, body: b.data };
    });
  }

  private resolveRepo(repo: string): string {
    return this.accounts.find((a) => a.handle === repo)?.did ?? repo;
  }

  private consumeWrite(did: string): Record<string, string> {
    const now = this.now();
    let w = this.writes.get(did);
    if (!w || now >= w.start + WRITE_WINDOW_MS) {
      w = { start: now, used: 0 };
      this.writes.set(did, w);
    }
    const headers = {
      'ratelimit-limit': String(this.writeLimit),
      'ratelimit-remaining': String(Math.max(0, this.writeLimit - w.used - 1)),
      'ratelimit-reset': String(Math.ceil((w.start + WRITE_WINDOW_MS) / 1000)),
      'ratelimit-policy': `${this.writeLimit};w=3600`,
    };
    if (w.used >= this.writeLimit) {
      throw new HttpFailure(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { ...headers, 'ratelimit-remaining': '0' });
    }
    w.used += 1;
    return headers;
  }

  private tidNow(): string {
    const chars = '234567abcdefghijklmnopqrstuvwxyz';
    let n = BigInt(this.now()) * 1000n * 1024n + BigInt(this.records.length % 1024);
    let out = '';
    for (let i = 0; i < 13; i++) {
      out = chars[Number(n % 32n)] + out;
      n /= 32n;
    }
    return out;
  }
}
