import request from 'supertest';
import { PluginHealthChanged } from '@sx/contracts';
import { addUser, addWorkspace, login, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { SseClient } from '../testing/sse-client';
import { APP_CONFIG } from '@sx/config';
import { CLOCK } from '@sx/service-kit';
import { AccessTokenService } from '../auth/access-token.service';
import { SseTicketService } from '../auth/sse-ticket.service';
import { GatewayDb } from '../db/gateway-db';
import { EventHub, MAX_STREAMS_PER_CALLER } from './event-hub.service';

describe('SSE /api/events', () => {
  let t: GatewayTestApp;
  let hub: EventHub;
  let adminA: SignedIn;
  let viewerA: SignedIn;
  let adminB: SignedIn;
  const open: SseClient[] = [];
  let seq = 0;

  const ticket = async (s: SignedIn): Promise<string> =>
    (await request(t.http).post('/api/events/ticket').set('authorization', `Bearer ${s.accessToken}`).expect(201)).body.ticket;
  const connect = async (s: SignedIn, lastEventId?: string) => {
    const q = lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : '';
    const c = await SseClient.open(t.app, `/api/events?ticket=${await ticket(s)}${q}`);
    open.push(c);
    await c.until(() => c.frames.some((f) => f.comment === 'connected'));
    return c;
  };
  const emit = async (workspaceId: string) => {
    const pluginId = `p${++seq}`;
    const { id } = await t.bus.publish(PluginHealthChanged, { pluginId, status: 'ready' }, { workspaceId, correlationId: `c${seq}` });
    return { id, pluginId };
  };
  const pluginIds = (c: SseClient) =>
    c.events('plugin.health.changed').map((f) => (JSON.parse(f.data ?? '{}') as { data: { pluginId: string } }).data.pluginId);

  beforeAll(async () => {
    t = await startGatewayTestApp({ listen: true, env: { SX_RATE_LIMIT_PER_MIN: '10000' } });
    hub = t.app.get(EventHub);
    adminA = await setupOwner(t.http);
    viewerA = await addUser(t.http, adminA, 'viewer@a.test', 'viewer');
    adminB = await addWorkspace(t.http, adminA, 'Bravo', 'admin@b.test');
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(() => t.close());

  it('opens with a single-use ticket and refuses the ticket a second time', async () => {
    const tk = await ticket(viewerA);
    const first = await SseClient.open(t.app, `/api/events?ticket=${tk}`);
    open.push(first);
    expect(first.status).toBe(200);
    const again = await request(t.http).get(`/api/events?ticket=${tk}`).expect(401);
    expect(again.body.code).toBe('invalid_ticket');
    await request(t.http).get('/api/events?access_token=' + viewerA.accessToken).expect(401);
  });

  it('refuses a ticket at a second replica once one replica redeemed it (spent tickets live in the database)', async () => {
    const replica = () =>
      new SseTicketService(t.app.get(APP_CONFIG), t.app.get(CLOCK), t.app.get(AccessTokenService), t.app.get(GatewayDb));
    const [one, two] = [replica(), replica()];
    const tk = await ticket(viewerA);
    expect((await one.redeem(tk)).workspaceId).toBe(viewerA.workspaceId);
    await expect(two.redeem(tk)).rejects.toMatchObject({ code: 'invalid_ticket', status: 401 });
    await request(t.http).get(`/api/events?ticket=${tk}`).expect(401);
  });

  it('delivers only the caller workspace, and audit events only to admins', async () => {
    const viewer = await connect(viewerA);
    const admin = await connect(adminA);
    const other = await connect(adminB);
    const a = await emit(adminA.workspaceId);
    const b = await emit(adminB.workspaceId);
    // An audited mutation in A (creating a key) streams audit.recorded to A's admin only.
    await request(t.http).post('/api/api-keys').set('authorization', `Bearer ${adminA.accessToken}`).send({ name: 'k', role: 'viewer' }).expect(201);
    await admin.until(() => admin.events('audit.recorded').length > 0);
    await viewer.until(() => pluginIds(viewer).includes(a.pluginId));
    await other.until(() => pluginIds(other).includes(b.pluginId));
    // A later A event proves the viewer stream is caught up; B's and audit events never arrived.
    const marker = await emit(adminA.workspaceId);
    await viewer.until(() => pluginIds(viewer).includes(marker.pluginId));
    expect(pluginIds(viewer)).toEqual([a.pluginId, marker.pluginId]);
    expect(viewer.events('audit.recorded')).toEqual([]);
    expect(pluginIds(other)).toEqual([b.pluginId]);
  });

  it('resumes after a reconnect from Last-Event-ID without gaps or repeats', async () => {
    const first = await connect(viewerA);
    const e1 = await emit(viewerA.workspaceId);
    const e2 = await emit(viewerA.workspaceId);
    await first.until(() => pluginIds(first).includes(e2.pluginId));
    const lastSeen = first.events('plugin.health.changed').at(-1)?.id;
    expect(lastSeen).toBe(e2.id);
    first.close();
    const e3 = await emit(viewerA.workspaceId);
    await emit(adminB.workspaceId);
    const e4 = await emit(viewerA.workspaceId);
    const second = await connect(viewerA, lastSeen);
    await second.until(() => pluginIds(second).includes(e4.pluginId));
    expect(pluginIds(second)).toEqual([e3.pluginId, e4.pluginId]);
    expect(pluginIds(second)).not.toContain(e1.pluginId);
  });

  it('asks the client to resync when Last-Event-ID is no longer buffered', async () => {
    const c = await connect(viewerA, 'evicted-or-unknown-id');
    await c.until(() => c.events('resync').length === 1);
  });

  it('sends heartbeats and closes the stream when the access token expires', async () => {
    const s = await login(t.http, 'viewer@a.test');
    const c = await connect(s);
    await hub.tick();
    await c.until(() => c.frames.some((f) => f.comment === 'heartbeat'));
    expect(c.ended).toBe(false);
    t.clock.advance(901_000);
    await hub.tick();
    await c.until(() => c.ended);
    expect(c.events('closed').map((f) => JSON.parse(f.data ?? '{}').reason)).toEqual(['token_expired']);
  });

  it('closes at once on logout, and on the next tick when revoked by another replica', async () => {
    const s1 = await login(t.http, 'viewer@a.test');
    const c1 = await connect(s1);
    await request(t.http).post('/api/auth/logout').set('authorization', `Bearer ${s1.accessToken}`).expect(204);
    await c1.until(() => c1.ended);
    expect(c1.events('closed').map((f) => JSON.parse(f.data ?? '{}').reason)).toEqual(['revoked']);

    const s2 = await login(t.http, 'viewer@a.test');
    const c2 = await connect(s2);
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: t.db.url });
    await pg.connect();
    await pg.query(`UPDATE gateway.sessions SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = $1`, [viewerA.userId]);
    await pg.end();
    expect(c2.ended).toBe(false);
    await hub.tick();
    await c2.until(() => c2.ended);
    expect(c2.events('closed').map((f) => JSON.parse(f.data ?? '{}').reason)).toEqual(['revoked']);
  });

  it(`caps each caller at ${MAX_STREAMS_PER_CALLER} streams`, async () => {
    const s = await login(t.http, 'admin@b.test');
    for (let i = 0; i < MAX_STREAMS_PER_CALLER; i++) await connect(s);
    const refused = await request(t.http).get('/api/events').set('authorization', `Bearer ${s.accessToken}`).expect(429);
    expect(refused.body.code).toBe('too_many_streams');
    for (const c of open.splice(0)) c.close();
    await Promise.resolve();
  });
});
