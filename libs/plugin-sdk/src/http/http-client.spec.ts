import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, EgressBlockedError } from './http-client';
import { OutcomeUnknownError, RejectedError, RetryableError } from '../errors';
import { classifyHttpError, readRateLimit } from './classify';
import { RateLimitedError } from '../errors';

let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    if (req.url === '/big') return void res.end(Buffer.alloc(2048));
    if (req.url === '/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      return void res.end();
    }
    if (req.url === '/to-self') {
      res.writeHead(303, { location: '/echo' });
      return void res.end();
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, auth: req.headers['authorization'] ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

describe('createHttpClient SSRF guard', () => {
  it('blocks loopback, private, link-local and mapped addresses by default', async () => {
    const client = createHttpClient();
    for (const url of [`${base}/echo`, 'http://10.0.0.1/', 'http://169.254.169.254/', 'http://[::ffff:127.0.0.1]/', 'http://[::1]/']) {
      await expect(client.request({ url })).rejects.toBeInstanceOf(EgressBlockedError);
    }
  });

  it('blocks a public-looking host name that resolves to a private address', async () => {
    const client = createHttpClient({ resolve: async () => ['192.168.1.5'] });
    await expect(client.request({ url: 'http://innocent.example/' })).rejects.toThrow(/192\.168\.1\.5/);
  });

  it('reaches allowlisted targets and checks every redirect hop again', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1'] });
    const res = await client.request({ url: `${base}/echo`, headers: { Authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ method: 'GET', auth: 'Bearer t' });
    await expect(client.request({ url: `${base}/to-metadata` })).rejects.toBeInstanceOf(EgressBlockedError);
    const followed = await client.request({ url: `${base}/to-self`, json: { a: 1 } });
    expect(followed.json()).toMatchObject({ method: 'GET' });
  });

  it('refuses non-http protocols and URLs with user info', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1'] });
    await expect(client.request({ url: 'file:///etc/passwd' })).rejects.toThrow(/protocol/);
    await expect(client.request({ url: `http://u:p@127.0.0.1:${port}/` })).rejects.toThrow(/credentials/);
  });
});

describe('createHttpClient checkUrl (the guard without a request, for URLs handed in at connect time)', () => {
  it('refuses loopback, private, link-local, credentialed and non-http URLs', async () => {
    const client = createHttpClient({ resolve: async (h) => (h === 'intranet.example' ? ['10.1.2.3'] : ['93.184.216.34']) });
    for (const url of ['http://127.0.0.1:9/hook', 'http://[::1]/', 'http://localhost/hook', 'http://app.localhost/x', 'http://10.0.0.1/', 'http://192.168.0.10/',
      'http://169.254.169.254/latest/meta-data', 'http://[::ffff:10.0.0.1]/', 'http://0.0.0.0/', 'http://intranet.example/hook', 'https://u:p@hooks.example/x', 'file:///etc/passwd']) {
      await expect(client.checkUrl(url)).rejects.toBeInstanceOf(RejectedError);
    }
    await expect(client.checkUrl('https://hooks.example/x')).resolves.toBeUndefined();
  });

  it('lets allowlisted hosts (SX_EGRESS_ALLOW) through, and a name that does not resolve yet', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1', 'localhost'], resolve: async () => [] });
    await expect(client.checkUrl('http://127.0.0.1:9/hook')).resolves.toBeUndefined();
    await expect(client.checkUrl('http://localhost:9/hook')).resolves.toBeUndefined();
    await expect(client.checkUrl('https://not-yet.example/hook')).resolves.toBeUndefined();
  });
});

describe('createHttpClient limits', () => {
  it('classifies a timeout: retryable for GET, outcome-unknown for POST', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1'], timeoutMs: 300 });
    await expect(client.request({ url: `${base}/hang` })).rejects.toBeInstanceOf(RetryableError);
    await expect(client.request({ url: `${base}/hang`, json: {} })).rejects.toBeInstanceOf(OutcomeUnknownError);
  });

  it('never puts the URL path in a transport error (webhook paths are secrets)', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1'], timeoutMs: 300 });
    const err = await client.request({ url: `${base}/hang`, json: {} }).catch((e: Error) => e);
    expect((err as Error).message).toContain(base);
    expect((err as Error).message).not.toContain('/hang');
  });

  it('cuts off responses above the size cap', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1'], maxResponseBytes: 1024 });
    await expect(client.request({ url: `${base}/big` })).rejects.toThrow(/larger than 1024/);
  });

  it('classifies refused connections as retryable', async () => {
    const client = createHttpClient({ allow: ['127.0.0.1'] });
    await expect(client.request({ url: 'http://127.0.0.1:1/' , json: {} })).rejects.toBeInstanceOf(RetryableError);
  });
});

describe('classifyHttpError and readRateLimit', () => {
  const res = (status: number, headers: Record<string, string>) => ({
    status,
    headers,
    body: Buffer.from('{"error":"x"}'),
    url: 'http://x',
    text: () => '{"error":"x"}',
    json: () => undefined,
  });
  it('reads epoch, ISO and relative reset headers', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(readRateLimit(res(200, { 'x-ratelimit-reset': String(now / 1000 + 60), 'x-ratelimit-remaining': '3' }), now)).toEqual({
      limit: undefined,
      remaining: 3,
      resetAt: new Date(now + 60_000).toISOString(),
    });
    expect(readRateLimit(res(200, { 'x-ratelimit-reset': '2026-01-01T00:05:00.000Z' }), now)?.resetAt).toBe('2026-01-01T00:05:00.000Z');
    expect(readRateLimit(res(200, { 'retry-after': '7' }), now)?.resetAt).toBe(new Date(now + 7000).toISOString());
    expect(readRateLimit(res(200, {}), now)).toBeUndefined();
  });
  it('maps 429 to rate_limited with the reset instant and 5xx to retryable', () => {
    const now = Date.UTC(2026, 0, 1);
    const e = classifyHttpError(res(429, { 'ratelimit-reset': '30' }), now);
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).resetAt.getTime()).toBe(now + 30_000);
    expect(classifyHttpError(res(503, { 'retry-after': '2' }), now)).toMatchObject({ errorClass: 'retryable', retryAfterMs: 2000 });
    expect(classifyHttpError(res(401, {}), now).errorClass).toBe('auth_expired');
    expect(classifyHttpError(res(422, {}), now).errorClass).toBe('rejected');
  });
});
