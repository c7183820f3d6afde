import request from 'supertest';
import { Client } from 'pg';
import { addUser, login, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';

describe('API keys', () => {
  let t: GatewayTestApp;
  let admin: SignedIn;
  const auth = () => ({ authorization: `Bearer ${admin.accessToken}` });

  beforeAll(async () => {
    t = await startGatewayTestApp({ env: { SX_RATE_LIMIT_PER_MIN: '10000' } });
    admin = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  it('shows the secret once, stores only its hash, and authenticates with its role', async () => {
    const created = await request(t.http).post('/api/api-keys').set(auth()).send({ name: 'ci', role: 'viewer' }).expect(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^sxk_[A-Za-z0-9_-]{43}$/);
    const list = await request(t.http).get('/api/api-keys').set(auth()).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(key);
    const pg = new Client({ connectionString: t.db.url });
    await pg.connect();
    const dump = JSON.stringify((await pg.query('SELECT * FROM gateway.api_keys')).rows);
    await pg.end();
    expect(dump).not.toContain(key.slice(4));
    // Viewer key: can read, cannot mutate; both header forms work.
    // /api/me answers `not_a_user` (404) to an authenticated key, 401 to anything unauthenticated.
    expect((await request(t.http).get('/api/me').set('x-api-key', key).expect(404)).body.code).toBe('not_a_user');
    expect((await request(t.http).get('/api/me').set('authorization', `Bearer ${key}`).expect(404)).body.code).toBe('not_a_user');
    await request(t.http).post('/api/api-keys').set('x-api-key', key).send({ name: 'x', role: 'viewer' }).expect(403);
  });

  it('cannot be minted above the creator role, and is refused once revoked or expired', async () => {
    const editorAdmin = await addUser(t.http, admin, 'a2@example.test', 'admin');
    const created = await request(t.http).post('/api/api-keys').set('authorization', `Bearer ${editorAdmin.accessToken}`).send({ name: 'short', role: 'admin', expiresInDays: 1 }).expect(201);
    await request(t.http).get('/api/users').set('x-api-key', created.body.key).expect(200);
    t.clock.advance(86_400_000 + 1);
    const expired = await request(t.http).get('/api/users').set('x-api-key', created.body.key).expect(401);
    expect(expired.body.code).toBe('invalid_api_key');
    admin = await login(t.http, 'owner@example.test'); // the old access token expired with the day
    const other = await request(t.http).post('/api/api-keys').set(auth()).send({ name: 'r', role: 'editor' }).expect(201);
    await request(t.http).delete(`/api/api-keys/${other.body.id}`).set(auth()).expect(204);
    await request(t.http).get('/api/me').set('x-api-key', other.body.key).expect(401);
    await request(t.http).get('/api/me').set('x-api-key', 'sxk_forged').expect(401);
  });
});
