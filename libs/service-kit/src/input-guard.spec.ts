import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { AppError } from './app-error';
import { answerClientErrorsInErrorShape } from './client-error';
import { mapError, sendError } from './http-error';
import { checkJsonBody, checkRequestUrl, findBadText, isBadText, jsonDepthExceeds, MAX_JSON_DEPTH } from './input-guard';
import { createInputGuard } from './input-guard.middleware';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const urlOf = (url: string) => ({ url }) as http.IncomingMessage;

describe('input guard', () => {
  it('finds NUL and unpaired surrogates, and leaves paired ones (emoji) alone', () => {
    expect(isBadText('a\u0000b')).toBe(true);
    expect(isBadText('x\ud800')).toBe(true);
    expect(isBadText('\udc00x')).toBe(true);
    expect(isBadText('\ud800\ud800\udc00')).toBe(true);
    expect(isBadText('ok 😀 ünï')).toBe(false);
    expect(findBadText({ post: { hashtags: ['#ok', '#bad\ud800'] } })).toBe('post.hashtags.1');
    expect(findBadText({ ['k\u0000']: 1 })).toBe('k\u0000');
  });

  it('measures JSON depth on raw text, ignoring brackets inside strings, without recursion', () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ s: '['.repeat(500) + '\\"[[' }))).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(nested(1_000_000)))).toBe(true);
  });

  it('refuses NUL and undecodable text in path segments and query strings', () => {
    expect(checkRequestUrl(urlOf('/api/schedule/slots/abc?q=ok%20fine&x'))).toBeUndefined();
    expect(checkRequestUrl(urlOf('/api/schedule/slots/%00'))).toMatchObject({ status: 400, code: 'invalid_text', details: { in: 'path' } });
    expect(checkRequestUrl(urlOf('/api/files?q=%00'))).toMatchObject({ status: 400, code: 'invalid_text', details: { in: 'query', path: 'q' } });
    expect(checkRequestUrl(urlOf('/api/files?q=a=b%00'))).toMatchObject({ code: 'invalid_text' });
    expect(checkRequestUrl(urlOf('/api/files?q=%ED%A0%80'))).toMatchObject({ status: 400, code: 'malformed_url' });
    expect(checkRequestUrl(urlOf('/api/files/%E0%A4%A'))).toMatchObject({ status: 400, code: 'malformed_url' });
    expect(checkJsonBody({ text: 'fine' })).toBeUndefined();
    expect(checkJsonBody({ text: 'bad\u0000' })).toBeInstanceOf(AppError);
  });

  describe('over HTTP', () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      const guard = createInputGuard({ maxBodyBytes: 4 * 1024 * 1024 });
      const app = express();
      app.use((req, res) =>
        guard(req, res, (err) => (err ? sendError(res, mapError(err)) : res.json({ ok: true, body: req.body ?? null }))),
      );
      server = http.createServer(app);
      answerClientErrorsInErrorShape(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });

    const post = (raw: string) => fetch(`${base}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });

    it('answers a body nested 10,000 deep, NUL and lone surrogates with 400 in the error shape', async () => {
      const deep = await post(`{"overrides":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
      expect(deep.status).toBe(400);
      expect(await deep.json()).toEqual({ code: 'json_too_deep', message: expect.any(String), details: { maxDepth: 64 }, correlationId: expect.any(String) });
      const nul = await post('{"text":"a\\u0000b"}');
      expect(nul.status).toBe(400);
      expect(await nul.json()).toMatchObject({ code: 'invalid_text', details: { in: 'body', path: 'text' }, correlationId: expect.any(String) });
      const surrogate = await post('{"hashtags":["#x\\ud800"]}');
      expect(await surrogate.json()).toMatchObject({ code: 'invalid_text', details: { path: 'hashtags.0' } });
      const fine = await post('{"text":"😀 \\ud83d\\ude00"}');
      expect(fine.status).toBe(200);
    });

    it('answers headers over the limit with 431 in the error shape instead of a bare status line', async () => {
      const res = await fetch(`${base}/x`, { headers: { 'x-big': 'a'.repeat(20 * 1024) } });
      expect(res.status).toBe(431);
      expect(await res.json()).toEqual({ code: 'headers_too_large', message: expect.any(String), correlationId: expect.any(String) });
    });
  });
});
