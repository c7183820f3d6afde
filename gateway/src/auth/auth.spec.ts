import request from 'supertest';
import { addUser, login, OWNER_PASSWORD, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';

describe('auth (real PostgreSQL)', () => {
  let t: GatewayTestApp;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startGatewayTestApp();
  });
  afterAll(() => t.close());

  it('offers first-run setup only while no user exists, then refuses it', async () => {
    expect((await request(t.http).get('/api/auth/setup').expect(200)).body).toEqual({ needed: true });
    owner = await setupOwner(t.http);
    expect((await request(t.http).get('/api/auth/setup').expect(200)).body).toEqual({ needed: false });
    const again = await request(t.http)
      .post('/api/auth/setup')
      .send({ email: 'other@example.test', password: OWNER_PASSWORD, displayName: 'X', workspaceName: 'X' })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'setup_done', correlationId: expect.any(String) });
  });

  it('stores argon2id hashes, never the password', async () => {
    const { Client } = await import('pg');
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    const { rows } = await c.query<{ password_hash: string }>('SELECT password_hash FROM gateway.users');
    await c.end();
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].password_hash).not.toContain(OWNER_PASSWORD);
  });

  it('logs in with the right password only, with the same error for unknown e-mails', async () => {
    const wrong = await request(t.http).post('/api/auth/login').send({ email: 'owner@example.test', password: 'nope-nope-nope' }).expect(401);
    const unknown = await request(t.http).post('/api/auth/login').send({ email: 'ghost@example.test', password: 'nope-nope-nope' }).expect(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(unknown.body.code).toBe(wrong.body.code);
    expect(unknown.body.message).toBe(wrong.body.message);
    const denied = await request(t.http).get('/api/audit-log?outcome=denied').set('authorization', `Bearer ${owner.accessToken}`).expect(200);
    expect(denied.body.items).toEqual([
      expect.objectContaining({ action: 'POST /api/auth/login', actorKind: 'anonymous', target: `user:${owner.userId}`, status: 401 }),
    ]);
    const me = await request(t.http).get('/api/me').set('authorization', `Bearer ${owner.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ email: 'owner@example.test', role: 'admin', isOwner: true, workspaceName: 'Alpha' });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('issues access tokens that live at most 15 minutes', async () => {
    const s = await login(t.http, 'owner@example.test');
    const [, payload] = s.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);
    t.clock.advance(900_000 + 6_000); // past exp and the 5 s clock tolerance
    const res = await request(t.http).get('/api/me').set('authorization', `Bearer ${s.accessToken}`).expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('rotates refresh tokens, and reuse of a spent one revokes the whole family', async () => {
    const s = await login(t.http, 'owner@example.test');
    const first = await request(t.http).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(s.refreshToken);
    const second = await request(t.http).post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    // The first token comes back: someone replayed it.
    const reuse = await request(t.http).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    // Every token of the family is dead now, including the newest and its access token.
    const newest = await request(t.http).post('/api/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    expect(newest.body.code).toBe('invalid_refresh_token');
    const access = await request(t.http).get('/api/me').set('authorization', `Bearer ${second.body.accessToken}`).expect(401);
    expect(access.body.code).toBe('session_revoked');
    // Another session of the same user is untouched.
    const other = await login(t.http, 'owner@example.test');
    await request(t.http).get('/api/me').set('authorization', `Bearer ${other.accessToken}`).expect(200);
  });

  it('lets exactly one of two concurrent uses of the same refresh token win', async () => {
    const s = await login(t.http, 'owner@example.test');
    const results = await Promise.all([
      request(t.http).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }),
      request(t.http).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('ends the session on logout', async () => {
    const s = await login(t.http, 'owner@example.test');
    await request(t.http).post('/api/auth/logout').set('authorization', `Bearer ${s.accessToken}`).expect(204);
    await request(t.http).get('/api/me').set('authorization', `Bearer ${s.accessToken}`).expect(401);
    await request(t.http).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
  });

  it('keeps a viewer from every mutation and records the denial', async () => {
    owner = await login(t.http, 'owner@example.test');
    const viewer = await addUser(t.http, owner, 'viewer@example.test', 'viewer');
    const auth = { authorization: `Bearer ${viewer.accessToken}` };
    await request(t.http).get('/api/me').set(auth).expect(200);
    for (const [method, url] of [
      ['post', '/api/users'],
      ['post', '/api/api-keys'],
      ['post', '/api/ai/templates'],
      ['delete', '/api/ai/templates/00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await request(t.http)[method](url).set(auth).send({});
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    const log = await request(t.http)
      .get('/api/audit-log?outcome=denied')
      .set('authorization', `Bearer ${owner.accessToken}`)
      .expect(200);
    expect(log.body.items.filter((e: { actorId: string }) => e.actorId === viewer.userId)).toHaveLength(4);
  });

  it('demoting a user ends their sessions so the old role cannot linger', async () => {
    const editor = await addUser(t.http, owner, 'editor@example.test', 'editor');
    await request(t.http)
      .patch(`/api/users/${editor.userId}`)
      .set('authorization', `Bearer ${owner.accessToken}`)
      .send({ role: 'viewer' })
      .expect(200);
    await request(t.http).get('/api/me').set('authorization', `Bearer ${editor.accessToken}`).expect(401);
    const again = await login(t.http, 'editor@example.test');
    const me = await request(t.http).get('/api/me').set('authorization', `Bearer ${again.accessToken}`).expect(200);
    expect(me.body.role).toBe('viewer');
  });
});
