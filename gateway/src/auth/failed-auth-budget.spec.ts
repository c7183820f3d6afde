import request from 'supertest';
import { setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { FAILED_AUTH_PER_MIN_PER_IP } from './failed-auth-budget';

/** Issue #16 item 7: invalid bearer tokens and API keys are charged to a per-address budget (429 + Retry-After). */
describe('failed-authentication budget', () => {
  let t: GatewayTestApp;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startGatewayTestApp();
    owner = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an address has presented too many bad credentials, even for a good one', async () => {
    t.clock.advance(60_000 - (t.clock.nowMs() % 60_000) + 1_000); // the start of a fresh window
    for (let i = 0; i < FAILED_AUTH_PER_MIN_PER_IP; i++) {
      const bad = i % 2 === 0
        ? request(t.http).get('/api/users').set('authorization', `Bearer not.a.token${i}`)
        : request(t.http).get('/api/users').set('x-api-key', `sxk_guess${i}`);
      expect((await bad).status).toBe(401);
    }
    const over = await request(t.http).get('/api/users').set('x-api-key', 'sxk_one-more');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'rate_limited', correlationId: expect.any(String) });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);

    // A right guess looks exactly like a wrong one until the window ends.
    const good = await request(t.http).get('/api/users').set('authorization', `Bearer ${owner.accessToken}`);
    expect(good.status).toBe(429);

    t.clock.advance(61_000);
    await request(t.http).get('/api/users').set('authorization', `Bearer ${owner.accessToken}`).expect(200);
  });

  it('does not charge requests that carry no credential at all', async () => {
    t.clock.advance(61_000);
    for (let i = 0; i < FAILED_AUTH_PER_MIN_PER_IP + 5; i++) await request(t.http).get('/api/users').expect(401);
    await request(t.http).get('/api/users').set('authorization', `Bearer ${owner.accessToken}`).expect(200);
  });
});
