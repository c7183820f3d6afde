import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ContractFault, ContractPost, ContractServer } from '@sx/plugin-sdk';

/*
 * Contract server for the __NAME__ platform: a real HTTP server speaking the platform's API
 * (replace these endpoints with the documented ones from ../shared/platforms/__ID__.md).
 *   POST /session            {identifier,password} -> {accessJwt,refreshJwt,handle,did}
 *   POST /session/refresh    Bearer refreshJwt -> new pair (the refresh token rotates)
 *   GET  /profile            Bearer accessJwt -> {did,handle}
 *   POST /posts              Bearer accessJwt, {text,key} -> 201 {id,url} (200 with the same post for a repeated key)
 *   GET  /posts/by-key/:key  Bearer accessJwt -> {id,url} | 404
 * Errors: {error,message}; 401 ExpiredToken; 429 with ratelimit-reset (s) and x-ratelimit-reset (epoch s).
 */
export interface StartOptions {
  password?: string;
  handle?: string;
}

interface Session {
  access: Set<string>;
  refresh: string;
}

export async function startContractServer(opts: StartOptions = {}): Promise<ContractServer> {
  const password = opts.password ?? 'app-password';
  const handle = opts.handle ?? 'alice.test';
  const posts: ContractPost[] = [];
  const session: Session = { access: new Set(), refresh: '' };
  const expired = new Set<string>();
  const faults: ContractFault[] = [];
  const counters = { requests: 0, refreshes: 0 };
  let base = '';

  const issue = () => {
    const pair = { accessJwt: `at-${randomUUID()}`, refreshJwt: `rt-${randomUUID()}` };
    session.access.add(pair.accessJwt);
    session.refresh = pair.refreshJwt;
    return { ...pair, handle, did: `did:example:${handle}` };
  };
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const bearer = (req: http.IncomingMessage) => (req.headers['authorization'] ?? '').replace(/^Bearer /, '');

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    counters.requests++;
    const raw = await new Promise<string>((r) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString('utf8')));
      req.on('end', () => r(s));
    });
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { error: 'InvalidRequest', message: 'body is not JSON' });
    }
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'POST' && url.pathname === '/session') {
      if (body['identifier'] !== handle || body['password'] !== password) {
        return send(res, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      }
      return send(res, 200, issue());
    }
    if (req.method === 'POST' && url.pathname === '/session/refresh') {
      if (!session.refresh || bearer(req) !== session.refresh) return send(res, 400, { error: 'ExpiredToken', message: 'refresh token reused' });
      counters.refreshes++;
      return send(res, 200, issue());
    }
    const token = bearer(req);
    if (!session.access.has(token)) return send(res, 401, { error: 'AuthenticationRequired', message: 'bad token' });
    const fault = faults.shift();
    if (expired.has(token) || fault?.kind === 'auth_expired') return send(res, 401, { error: 'ExpiredToken', message: 'Token has expired' });
    if (fault?.kind === 'rate_limited') {
      const reset = Date.now() + fault.resetInMs;
      return send(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, {
        'ratelimit-reset': String(Math.ceil(fault.resetInMs / 1000)),
        'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
        'x-ratelimit-remaining': '0',
      });
    }
    if (fault?.kind === 'server_error') return send(res, 503, { error: 'InternalServerError', message: 'try later' });
    if (req.method === 'GET' && url.pathname === '/profile') return send(res, 200, { did: `did:example:${handle}`, handle });
    const byKey = /^\/posts\/by-key\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && byKey) {
      const p = posts.find((x) => x.key === decodeURIComponent(byKey[1]));
      return p ? send(res, 200, { id: p.id, url: `${base}/p/${p.id}` }) : send(res, 404, { error: 'NotFound', message: 'no post' });
    }
    if (req.method === 'POST' && url.pathname === '/posts') {
      if (fault?.kind === 'rejected' || typeof body['text'] !== 'string') {
        return send(res, 400, { error: 'InvalidRequest', message: 'Record/text must not be that' });
      }
      const key = typeof body['key'] === 'string' ? body['key'] : undefined;
      const existing = key ? posts.find((x) => x.key === key) : undefined;
      if (existing) return send(res, 200, { id: existing.id, url: `${base}/p/${existing.id}` });
      const post: ContractPost = { id: randomUUID(), text: body['text'], key };
      posts.push(post);
      if (fault?.kind === 'commit_then_hang') return;
      if (fault?.kind === 'commit_then_drop') return void req.socket.destroy();
      return send(res, 201, { id: post.id, url: `${base}/p/${post.id}` });
    }
    send(res, 404, { error: 'NotFound', message: `${req.method} ${url.pathname}` });
  };

  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    failNext: (f) => void faults.push(f),
    posts: () => [...posts],
    stats: () => ({ ...counters }),
    expireAccessTokens: () => session.access.forEach((t) => expired.add(t)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
