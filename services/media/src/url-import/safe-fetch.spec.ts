import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { AppError } from '@sx/service-kit';
import { safeFetch, type SafeFetchOptions } from './safe-fetch';

describe('safeFetch', () => {
  let server: http.Server;
  let port: number;
  let hits: string[];

  beforeAll(async () => {
    hits = [];
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/file.txt') return void res.end('hello');
      if (req.url === '/to-metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/to-self') return void res.writeHead(301, { location: '/file.txt' }).end();
      if (req.url === '/big') return void res.writeHead(200, { 'content-length': '1000' }).end('x'.repeat(1000));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const strict: SafeFetchOptions = { allow: [], maxBytes: 100, timeoutMs: 2000 };
  const local: SafeFetchOptions = { ...strict, allow: ['127.0.0.1'] };

  async function codeOf(p: Promise<unknown>): Promise<string> {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBeGreaterThanOrEqual(400);
    expect((e as AppError).status).toBeLessThan(500);
    return (e as AppError).code;
  }

  it.each([
    'http://127.0.0.1:PORT/file.txt',
    'http://localhost:PORT/file.txt',
    'http://2130706433:PORT/file.txt',
    'http://0x7f.0.0.1:PORT/file.txt',
    'http://0177.0.0.1:PORT/file.txt',
    'http://[::1]:PORT/file.txt',
    'http://[::ffff:127.0.0.1]:PORT/file.txt',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/',
    'http://192.168.0.1/',
    'http://172.16.5.5/',
    'http://100.64.0.1/',
    'http://0.0.0.0:PORT/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
  ])('blocks %s before connecting', async (raw) => {
    const before = hits.length;
    expect(await codeOf(safeFetch(raw.replace('PORT', String(port)), strict))).toBe('url_blocked');
    expect(hits.length).toBe(before);
  });

  it('blocks a public-looking name that resolves to a private address', async () => {
    const resolve = async () => [{ address: '10.0.0.7', family: 4 }];
    expect(await codeOf(safeFetch('http://cdn.example.test/x.jpg', { ...strict, resolve }))).toBe('url_blocked');
  });

  it('fetches from an allow-listed address and follows a safe redirect', async () => {
    const res = await safeFetch(`http://127.0.0.1:${port}/to-self`, local);
    expect(await text(res.body)).toBe('hello');
    expect(res.finalUrl).toBe(`http://127.0.0.1:${port}/file.txt`);
  });

  it('re-checks every redirect: a hop to the metadata address is refused', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/to-metadata`, local))).toBe('url_blocked');
  });

  it('refuses a declared size over the limit with 413, bad schemes and credentials with 422', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/big`, local))).toBe('file_too_large');
    expect(await codeOf(safeFetch('ftp://example.com/a', local))).toBe('invalid_url');
    expect(await codeOf(safeFetch('http://user:pw@example.com/a', local))).toBe('invalid_url');
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/missing`, local))).toBe('fetch_failed');
  });
});
