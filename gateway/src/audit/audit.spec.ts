import request from 'supertest';
import { AuditRecorded, type Envelope } from '@sx/contracts';
import { addUser, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';

describe('audit log', () => {
  let t: GatewayTestApp;
  let admin: SignedIn;
  const streamed: Envelope[] = [];
  let onStreamed: () => void = () => undefined;
  /** Resolves when the outbox relay has published audit events for all `ids` (event-driven, no polling). */
  const streamedAll = (ids: string[]) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const seen = new Set(streamed.map((e) => (e.data as { auditId: string }).auditId));
        if (ids.every((id) => seen.has(id))) resolve();
      };
      onStreamed = check;
      check();
    });
  const auth = () => ({ authorization: `Bearer ${admin.accessToken}` });

  beforeAll(async () => {
    t = await startGatewayTestApp({ env: { SX_RATE_LIMIT_PER_MIN: '10000', SX_TRUST_PROXY: 'loopback' } });
    await t.bus.tail(AuditRecorded.subject, (e) => {
      streamed.push(e);
      onStreamed();
    });
    admin = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  it('records who, what, target, when, from where and outcome for each mutation, and streams it', async () => {
    // The fake clock stands still unless moved; entries at the same instant would order by id.
    t.clock.advance(1_000);
    await request(t.http).post('/api/api-keys').set(auth()).set('user-agent', 'audit-test/1').send({ name: 'k1', role: 'editor' }).expect(201);
    t.clock.advance(1_000);
    const failed = await request(t.http).post('/api/users').set(auth()).send({ email: 'owner@example.test', password: 'long enough password', displayName: 'd', role: 'viewer' });
    expect(failed.status).toBe(409);
    const res = await request(t.http).get('/api/audit-log').set(auth()).expect(200);
    const [latest, previous] = res.body.items;
    expect(latest).toMatchObject({ action: 'POST /api/users', target: '/api/users', outcome: 'error', status: 409, actorId: admin.userId });
    expect(previous).toMatchObject({
      action: 'POST /api/api-keys',
      target: '/api/api-keys',
      outcome: 'success',
      status: 201,
      actorId: admin.userId,
      actorKind: 'user',
      userAgent: 'audit-test/1',
      workspaceId: admin.workspaceId,
    });
    expect(previous.ip).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(previous.at)).not.toBeNaN();
    await streamedAll([latest.id, previous.id]);
    // Streamed once each (the relay publishes with the audit id as the event id).
    expect(streamed.filter((e) => e.id === latest.id)).toHaveLength(1);
    expect(streamed.every((e) => e.workspaceId === admin.workspaceId)).toBe(true);
  });

  it('records the first-run setup under the new owner and never logs reads', async () => {
    const res = await request(t.http).get('/api/audit-log?action=POST%20/api/auth').set(auth()).expect(200);
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['POST /api/auth/setup']);
    const reads = await request(t.http).get('/api/audit-log?action=GET').set(auth()).expect(200);
    expect(reads.body.items).toEqual([]);
  });

  it('pages with a keyset cursor, newest first, with filters', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      await request(t.http).post('/api/api-keys').set(auth()).send({ name: `p${i}`, role: 'viewer' }).expect(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q = `/api/audit-log?limit=2&action=POST%20/api/api-keys${cursor ? `&cursor=${cursor}` : ''}`;
      const page: request.Response = await request(t.http).get(q).set(auth()).expect(200);
      seen.push(...page.body.items.map((e: { id: string }) => e.id));
      const times = page.body.items.map((e: { at: string }) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    await request(t.http).get('/api/audit-log?cursor=garbage').set(auth()).expect(422);
    const byOutcome = await request(t.http).get('/api/audit-log?outcome=error').set(auth()).expect(200);
    expect(byOutcome.body.items.every((e: { outcome: string }) => e.outcome === 'error')).toBe(true);
  });

  it('takes the client address from X-Forwarded-For only through a trusted proxy (SX_TRUST_PROXY)', async () => {
    t.clock.advance(1_000);
    await request(t.http).post('/api/api-keys').set(auth()).set('x-forwarded-for', '203.0.113.7').send({ name: 'xff', role: 'viewer' }).expect(201);
    const res = await request(t.http).get('/api/audit-log?limit=1').set(auth()).expect(200);
    expect(res.body.items[0].ip).toBe('203.0.113.7');
  });

  it('is for admins only', async () => {
    const editor = await addUser(t.http, admin, 'ed@example.test', 'editor');
    await request(t.http).get('/api/audit-log').set('authorization', `Bearer ${editor.accessToken}`).expect(403);
  });
});
