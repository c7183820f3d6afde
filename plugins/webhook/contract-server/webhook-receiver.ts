// A Zapier/n8n-style receiver that verifies SchedulerX's signed webhooks: HMAC-SHA256 over
// `${timestamp}.${body}` in `X-SX-Signature: sha256=<hex>`, `X-SX-Timestamp` (unix seconds, ±5 min),
// and dedupes by `Idempotency-Key` (a repeated delivery returns the first receipt).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ContractFault, ContractPost, ContractServer } from '@sx/plugin-sdk';
import { ContractHttpServer, HttpFailure, parseJson, type Fault } from '@sx/plugin-sdk';

export interface Delivery {
  id: string;
  idempotencyKey: string;
  payload: { post?: { text?: string } } & Record<string, unknown>;
  receivedAt: string;
}

export interface WebhookReceiverOptions {
  secret: string;
  now?: () => number;
  toleranceS?: number;
}

export class WebhookReceiver implements ContractServer {
  readonly deliveries: Delivery[] = [];
  url = '';
  secret: string;
  private readonly http: ContractHttpServer;
  private readonly now: () => number;
  private readonly toleranceS: number;

  constructor(opts: WebhookReceiverOptions) {
    this.secret = opts.secret;
    this.now = opts.now ?? Date.now;
    this.toleranceS = opts.toleranceS ?? 300;
    this.http = new ContractHttpServer(() => ({ posts: this.posts(), stats: this.stats() }));
    this.http.failNextHandler = (f) => this.failNext(f as ContractFault);
    this.http.route('POST', '/hook', 'deliver', (req) => {
      this.verify(req.headers['x-sx-timestamp'], req.headers['x-sx-signature'], req.body);
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !key) throw new HttpFailure(400, { error: 'Idempotency-Key header is required' });
      const prior = this.deliveries.find((d) => d.idempotencyKey === key);
      if (prior) return { status: 200, body: this.receipt(prior) };
      const d: Delivery = {
        id: `dlv_${randomBytes(8).toString('hex')}`,
        idempotencyKey: key,
        payload: parseJson(req.body) as Delivery['payload'],
        receivedAt: new Date(this.now()).toISOString(),
      };
      this.deliveries.push(d);
      return { status: 200, body: this.receipt(d) };
    });
    this.http.route('GET', '/deliveries/:id', 'delivery', (req) => {
      const d = this.deliveries.find((x) => x.id === req.params.id);
      if (!d) throw new HttpFailure(404, { error: 'not found' });
      return { status: 200, body: d };
    });
  }

  get hookUrl(): string {
    return `${this.url}/hook`;
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
    return this.deliveries.map((d) => ({ id: d.id, text: String(d.payload.post?.text ?? ''), key: d.idempotencyKey }));
  }

  stats(): { requests: number; refreshes: number } {
    return { requests: this.http.requestCount, refreshes: 0 };
  }

  /** A webhook secret does not expire. */
  expireAccessTokens(): void {
    return;
  }

  failNext(fault: ContractFault): void {
    const route = 'deliver';
    switch (fault.kind) {
      case 'rate_limited':
        return this.injectFault({ route, status: 429, body: { error: 'Too Many Requests' }, headers: { 'retry-after': String(Math.ceil(fault.resetInMs / 1000)) } });
      case 'server_error':
        return this.injectFault({ route, status: 503, body: { error: 'Service Unavailable' }, headers: { 'retry-after': '7' } });
      case 'auth_expired':
        return this.injectFault({ route, status: 401, body: { error: 'invalid signature' } });
      case 'rejected':
        return this.injectFault({ route, status: 422, body: { error: 'payload rejected by the workflow' } });
      case 'commit_then_hang':
        return this.injectFault({ route, commit: 'hang' });
      case 'commit_then_drop':
        return this.injectFault({ route, commit: 'drop' });
    }
  }

  private receipt(d: Delivery) {
    return { id: d.id, url: `${this.url}/deliveries/${d.id}` };
  }

  private verify(ts: string | string[] | undefined, sig: string | string[] | undefined, body: Buffer): void {
    const fail = (why: string) => new HttpFailure(401, { error: why });
    if (typeof ts !== 'string' || !/^\d+$/.test(ts)) throw fail('missing timestamp');
    if (Math.abs(this.now() / 1000 - Number(ts)) > this.toleranceS) throw fail('timestamp outside tolerance');
    if (typeof sig !== 'string' || !sig.startsWith('sha256=')) throw fail('missing signature');
    const expected = createHmac('sha256', this.secret).update(`${ts}.`).update(body).digest();
    const given = Buffer.from(sig.slice(7), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw fail('invalid signature');
  }
}
