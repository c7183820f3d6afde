import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { addUser, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { MediaProxyController } from './media-proxy.controller';
import type { HttpAdapterHost } from '@nestjs/core';
import { MediaProxyModule, ServerTimeouts, UPLOAD_REQUEST_TIMEOUT_MS } from './media-proxy.module';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  sha256: string;
}

const FILE = Buffer.from('0123456789abcdefghij');

/** A tiny stand-in for the media service: records what reached it, answers like media does. */
function startFakeMedia(): Promise<{ server: http.Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes, sha256: hash.digest('hex') });
      const url = req.url ?? '';
      if (url.startsWith('/media/uploads')) {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
      } else if (url === '/media/tus') {
        const { port } = server.address() as AddressInfo;
        res.writeHead(201, { location: `http://127.0.0.1:${port}/media/tus/u1`, 'tus-resumable': '1.0.0' }).end();
      } else if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' }).end();
      } else if (req.headers.range === 'bytes=2-5') {
        res.writeHead(206, { 'content-range': `bytes 2-5/${FILE.length}`, 'accept-ranges': 'bytes', etag: '"v1"', 'content-length': '4' });
        res.end(FILE.subarray(2, 6));
      } else {
        res.writeHead(200, { 'content-type': 'application/octet-stream', etag: '"v1"', 'content-length': String(FILE.length) });
        res.end(req.method === 'HEAD' ? undefined : FILE);
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, seen });
    });
  });
}

describe('media proxy (distributed mode)', () => {
  let media: Awaited<ReturnType<typeof startFakeMedia>>;
  let t: GatewayTestApp;
  let owner: SignedIn;
  let viewer: SignedIn;
  const bearer = (s: SignedIn) => `Bearer ${s.accessToken}`;

  beforeAll(async () => {
    media = await startFakeMedia();
    t = await startGatewayTestApp({
      env: { SX_MODE: 'distributed', SX_MEDIA_URL: media.url, SX_RATE_LIMIT_PER_MIN: '10000' },
      controllers: [MediaProxyController],
    });
    owner = await setupOwner(t.http);
    viewer = await addUser(t.http, owner, 'viewer@example.test', 'viewer');
  });

  afterAll(async () => {
    await t.close();
    if (media.server.listening) await new Promise((r) => media.server.close(r));
  });

  beforeEach(() => {
    media.seen.length = 0;
  });

  it('is registered only in distributed mode', () => {
    expect(MediaProxyModule.register({ mode: 'embedded' }).controllers).toBeUndefined();
    expect(MediaProxyModule.register({ mode: 'distributed' }).controllers).toEqual([MediaProxyController]);
  });

  it('lifts the whole-request timeout of the HTTP server for long uploads, keeping the header timeout', () => {
    const server = http.createServer();
    const headersTimeout = server.headersTimeout;
    new ServerTimeouts({ httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost).onApplicationBootstrap();
    expect(server.requestTimeout).toBe(UPLOAD_REQUEST_TIMEOUT_MS);
    expect(server.headersTimeout).toBe(headersTimeout);
  });

  it('requires an authenticated caller for /media and never reaches media without one', async () => {
    const res = await request(t.http).get('/media/a1').set('x-sx-workspace-id', 'ws-x').set('x-sx-role', 'admin').expect(401);
    expect(res.body.code).toBe('unauthenticated');
    const bad = await request(t.http).get('/media/a1').set('authorization', 'Bearer nope').expect(401);
    expect(bad.body.code).toBe('invalid_token');
    expect(media.seen).toHaveLength(0);
  });

  it('sets the identity headers from the principal and strips the client-sent ones and credentials', async () => {
    const res = await request(t.http)
      .get('/media/a1?x=1')
      .set('authorization', bearer(viewer))
      .set('x-sx-workspace-id', 'someone-elses')
      .set('x-sx-actor-id', 'forged')
      .set('x-sx-role', 'admin')
      .set('x-sx-anything', 'forged')
      .set('cookie', 'sid=secret')
      .responseType('blob')
      .expect(200);
    expect(Buffer.from(res.body as Buffer).equals(FILE)).toBe(true);
    expect(media.seen).toHaveLength(1);
    const h = media.seen[0].headers;
    expect(media.seen[0].url).toBe('/media/a1?x=1');
    expect(h['x-sx-workspace-id']).toBe(viewer.workspaceId);
    expect(h['x-sx-actor-id']).toBe(viewer.userId);
    expect(h['x-sx-role']).toBe('viewer');
    expect(h['x-sx-anything']).toBeUndefined();
    expect(h.authorization).toBeUndefined();
    expect(h.cookie).toBeUndefined();
    expect(h['x-correlation-id']).toBe(res.headers['x-correlation-id']);
  });

  it('passes range requests, 206 and 304 through', async () => {
    const partial = await request(t.http).get('/media/a1').set('authorization', bearer(owner)).set('range', 'bytes=2-5').responseType('blob').expect(206);
    expect(partial.headers['content-range']).toBe(`bytes 2-5/${FILE.length}`);
    expect(Buffer.from(partial.body as Buffer).toString()).toBe('2345');
    expect(media.seen[0].headers.range).toBe('bytes=2-5');
    const cached = await request(t.http).get('/media/a1').set('authorization', bearer(owner)).set('if-none-match', '"v1"').expect(304);
    expect(cached.headers.etag).toBe('"v1"');
    const head = await request(t.http).head('/media/a1').set('authorization', bearer(owner)).expect(200);
    expect(head.headers['content-length']).toBe(String(FILE.length));
  });

  it('streams an upload body to media intact and relays its answer', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    const res = await request(t.http)
      .post('/media/uploads?filename=a.bin')
      .set('authorization', bearer(owner))
      .set('content-type', 'application/octet-stream')
      .send(body)
      .expect(201);
    expect(res.body).toEqual({ bytes: body.length });
    expect(media.seen[0]).toMatchObject({ method: 'POST', url: '/media/uploads?filename=a.bin', bytes: body.length });
    expect(media.seen[0].sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(media.seen[0].headers['x-sx-role']).toBe('admin');
  });

  it('makes a Location pointing at media relative to the gateway', async () => {
    const res = await request(t.http).post('/media/tus').set('authorization', bearer(owner)).set('upload-length', '10').expect(201);
    expect(res.headers.location).toBe('/media/tus/u1');
  });

  it('stops a viewer from uploading before media is reached', async () => {
    const res = await request(t.http).post('/media/uploads').set('authorization', bearer(viewer)).send(Buffer.from('x')).expect(403);
    expect(res.body.code).toBe('forbidden');
    expect(media.seen).toHaveLength(0);
  });

  it('lets /storage/objects through without a session, with no identity headers', async () => {
    await request(t.http).get('/storage/objects/ws/k1?method=GET&expires=9&signature=abc').set('x-sx-role', 'admin').expect(200);
    expect(media.seen[0].url).toBe('/storage/objects/ws/k1?method=GET&expires=9&signature=abc');
    expect(media.seen[0].headers['x-sx-role']).toBeUndefined();
    expect(media.seen[0].headers['x-sx-workspace-id']).toBeUndefined();
  });

  it('answers 503 service_unavailable naming media when media is down', async () => {
    await new Promise((r) => media.server.close(r));
    const res = await request(t.http).get('/media/a1').set('authorization', bearer(owner)).expect(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable', details: { service: 'media' } });
    const objects = await request(t.http).get('/storage/objects/k').expect(503);
    expect(objects.body.code).toBe('service_unavailable');
  });
});
