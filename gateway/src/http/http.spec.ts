import { Controller, Get } from '@nestjs/common';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '@sx/service-kit';
import { Public } from '../auth/roles.decorator';
import { GatewayDb } from '../db/gateway-db';
import { setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { SharedRateCounter } from './shared-rate-counter';

@Controller('test-boom')
class BoomController {
  @Get()
  @Public()
  boom(): never {
    // Shaped like a driver error: the bound parameters must never reach the response or the log.
    throw Object.assign(new Error('query failed'), { code: 'XX000', parameters: ['rt_canary-refresh-token'] });
  }
}

const ORIGIN = 'https://app.example.test';

describe('HTTP surface: error shape, limits, headers, CORS, rate limit', () => {
  let t: GatewayTestApp;
  let owner: SignedIn;
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const bearer = () => ({ authorization: `Bearer ${owner.accessToken}` });

  beforeAll(async () => {
    t = await startGatewayTestApp({
      env: { SX_MAX_BODY_BYTES: '2048', SX_CORS_ORIGINS: `${ORIGIN},*`, SX_RATE_LIMIT_PER_MIN: '40' },
      controllers: [BoomController],
      logger: createLogger('gateway', 'info', logSink),
    });
    owner = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  it('answers an unknown route with the error shape and the correlation id it sends back', async () => {
    const res = await request(t.http).get('/api/nope').set(bearer()).expect(404);
    expect(res.body).toEqual({ code: 'not_found', message: expect.any(String), correlationId: res.headers['x-correlation-id'] });
  });

  it('keeps a well-formed incoming correlation id and replaces a malformed one', async () => {
    const kept = await request(t.http).get('/api/nope').set('x-correlation-id', 'abc-123').expect(404);
    expect(kept.headers['x-correlation-id']).toBe('abc-123');
    expect(kept.body.correlationId).toBe('abc-123');
    const replaced = await request(t.http).get('/api/nope').set('x-correlation-id', 'bad id\twith spaces').expect(404);
    expect(replaced.body.correlationId).not.toContain(' ');
  });

  it('refuses a body over the limit with 413 and malformed JSON with 400', async () => {
    const big = await request(t.http).post('/api/auth/login').set('content-type', 'application/json').send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(4000) }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large', correlationId: expect.any(String) });
    const bad = await request(t.http).post('/api/auth/login').set('content-type', 'application/json').send('{"email":');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('malformed_json');
  });

  it('reports validation failures as 422 with the bad fields', async () => {
    const res = await request(t.http).post('/api/users').set(bearer()).send({ email: 'not-an-email', role: 'god' }).expect(422);
    expect(res.body.code).toBe('validation_failed');
    const paths = (res.body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'role', 'password', 'displayName']));
  });

  it('caps page sizes on every list', async () => {
    for (const q of ['limit=1000', 'limit=0', 'limit=abc', 'limit=-5']) {
      const res = await request(t.http).get(`/api/users?${q}`).set(bearer()).expect(422);
      expect(res.body.code).toBe('page_size_invalid');
    }
    await request(t.http).get('/api/users?limit=200').set(bearer()).expect(200);
  });

  it('turns an unexpected error into a 500 that reveals only an id', async () => {
    const res = await request(t.http).get('/api/test-boom').expect(500);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'correlationId', 'message']);
    expect(res.body.code).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toContain('canary');
    const logged = logLines.find((l) => l.includes(res.body.correlationId));
    expect(logged).toContain('unhandled error');
    expect(logged).toContain('query failed');
    expect(logLines.join('')).not.toContain('canary');
  });

  it('sets security headers', async () => {
    const res = await request(t.http).get('/api/auth/setup');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const csp: string = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    // Protected media is shown through object URLs: blob: for images and video, and nothing wider.
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows only configured origins, never *, with credentials', async () => {
    const ok = await request(t.http).get('/api/auth/setup').set('origin', ORIGIN);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const other = await request(t.http).get('/api/auth/setup').set('origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(t.http).options('/api/posts').set('origin', ORIGIN).set('access-control-request-method', 'POST').expect(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    const denied = await request(t.http).options('/api/posts').set('origin', 'https://evil.example').set('access-control-request-method', 'POST').expect(403);
    expect(denied.body.code).toBe('cors_denied');
  });

  it('answers 503 service_unavailable for a service that is not running, never invented data', async () => {
    const res = await request(t.http).get('/api/ai/templates').set(bearer()).expect(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable', correlationId: expect.any(String) });
  });

  it('serves probes and metrics outside /api, and the aggregated health at /api/health for anyone (no workspace data in it)', async () => {
    await request(t.http).get('/health').expect(200, { status: 'ok' });
    const ready = await request(t.http).get('/ready').expect(200);
    expect(ready.body.checks['database:gateway']).toMatchObject({ ok: true });
    const metrics = await request(t.http).get('/metrics').expect(200);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    expect(metrics.text).toMatch(/sx_gateway_http_request_duration_seconds_count\{method="POST",route="\/api\/users",status="422"\} \d+/);
    expect(metrics.text).toContain('sx_gateway_sse_streams 0');
    const health = await request(t.http).get('/api/health').expect(200);
    expect(JSON.stringify(health.body)).not.toMatch(/workspace/i);
    expect(health.body).toMatchObject({ status: 'ok', mode: 'embedded', services: {} });
    expect(Object.keys(health.body.checks)).toEqual(expect.arrayContaining(['database:gateway', 'gateway-sse']));
  });

  it('rate-limits per caller with 429 and Retry-After, and the budget comes back next window', async () => {
    t.clock.set(Math.ceil(t.clock.nowMs() / 60_000) * 60_000 + 1_000); // a fresh window, 59 s left in it
    let last = await request(t.http).get('/api/me').set(bearer());
    let served = 0;
    while (last.status === 200 && served < 100) {
      served += 1;
      last = await request(t.http).get('/api/me').set(bearer());
    }
    expect(served).toBe(40);
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('rate_limited');
    expect(last.headers['retry-after']).toBe('59');
    t.clock.advance(59_000);
    await request(t.http).get('/api/me').set(bearer()).expect(200);
  });

  it('gives password guessing its own small budget per account, with Retry-After', async () => {
    t.clock.set(Math.ceil(t.clock.nowMs() / 60_000) * 60_000 + 30_000);
    const attempt = (password: string) => request(t.http).post('/api/auth/login').send({ email: 'owner@example.test', password });
    for (let i = 0; i < 10; i++) await attempt('wrong password guess').expect(401);
    const throttled = await attempt('correct horse battery staple').expect(429);
    expect(throttled.body.code).toBe('rate_limited');
    expect(throttled.headers['retry-after']).toBe('30');
    t.clock.advance(30_000);
    await attempt('correct horse battery staple').expect(200);
  });

  it('counts sign-in attempts in the database: what one replica charged, another refuses; keys are stored hashed', async () => {
    const db = t.app.get(GatewayDb);
    const [one, two] = [new SharedRateCounter(db, t.clock), new SharedRateCounter(db, t.clock)];
    const key = 'login-email:replica@example.test';
    for (let i = 0; i < 5; i++) {
      await one.charge(key, 10);
      await two.charge(key, 10);
    }
    await expect(two.charge(key, 10)).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    await expect(one.charge(key, 10)).rejects.toMatchObject({ code: 'rate_limited' });
    const stored = await db.query<{ key_hash: string }>(`SELECT key_hash FROM gateway.rate_windows`);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((r) => r.key_hash).join(' ')).not.toMatch(/@|login/);
  });
});
