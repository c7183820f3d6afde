import request from 'supertest';
import { JetStreamEventBus } from '@sx/bus';
import { MediaHealth, PluginHealthChanged } from '@sx/contracts';
import { randomName } from '@sx/testing';
import { addWorkspace, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { SseClient } from '../testing/sse-client';

/** Distributed mode against the real nats-server: SSE fan-out from JetStream and the aggregated health. */
describe('gateway over NATS JetStream (distributed mode)', () => {
  let t: GatewayTestApp;
  let bus: JetStreamEventBus;
  let adminA: SignedIn;
  let adminB: SignedIn;
  const clients: SseClient[] = [];

  const connect = async (s: SignedIn, lastEventId?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${s.accessToken}` };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const c = await SseClient.open(t.app, '/api/events', headers);
    clients.push(c);
    await c.until(() => c.frames.some((f) => f.comment === 'connected'));
    return c;
  };
  const ids = (c: SseClient) =>
    c.events('plugin.health.changed').map((f) => (JSON.parse(f.data ?? '{}') as { data: { pluginId: string } }).data.pluginId);

  beforeAll(async () => {
    t = await startGatewayTestApp({
      listen: true,
      env: { SX_MODE: 'distributed' },
      bus: (clock) =>
        (bus = new JetStreamEventBus({
          servers: 'nats://127.0.0.1:4222',
          namespace: `${randomName('tgw')}_`,
          replicas: 1,
          duplicateWindowMs: 120_000,
          maxDeliver: 5,
          requestTimeoutMs: 1_000,
          clock,
        })),
    });
    adminA = await setupOwner(t.http);
    adminB = await addWorkspace(t.http, adminA, 'Bravo', 'admin@b.test');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await bus.destroyNamespace();
    await t.close();
  });

  it('streams JetStream events per workspace and resumes from Last-Event-ID (header form)', async () => {
    const a = await connect(adminA);
    const b = await connect(adminB);
    const meta = (workspaceId: string) => ({ workspaceId, correlationId: 'c' });
    const first = await bus.publish(PluginHealthChanged, { pluginId: 'a1', status: 'ready' }, meta(adminA.workspaceId));
    await bus.publish(PluginHealthChanged, { pluginId: 'b1', status: 'failed' }, meta(adminB.workspaceId));
    await a.until(() => ids(a).includes('a1'));
    await b.until(() => ids(b).includes('b1'));
    a.close();
    await bus.publish(PluginHealthChanged, { pluginId: 'a2', status: 'quarantined' }, meta(adminA.workspaceId));
    const marker = await bus.publish(PluginHealthChanged, { pluginId: 'b2', status: 'ready' }, meta(adminB.workspaceId));
    // b2 reaching B proves a2 (published before it) has reached the gateway's buffer too.
    await b.until(() => ids(b).includes('b2'));
    expect(marker.duplicate).toBe(false);
    const again = await connect(adminA, first.id);
    await again.until(() => ids(again).includes('a2'));
    expect(ids(again)).toEqual(['a2']);
    expect(ids(b)).toEqual(['b1', 'b2']);
  });

  it('aggregates each service health over the bus; a silent service is unavailable (503)', async () => {
    const sub = await bus.handle(MediaHealth, async () => ({ ok: true, data: { ok: true, checks: { db: { ok: true, component: 'media' } } } }));
    try {
      const res = await request(t.http).get('/api/health').set('authorization', `Bearer ${adminA.accessToken}`).expect(503);
      expect(res.body.mode).toBe('distributed');
      expect(res.body.services.media).toMatchObject({ ok: true, checks: { db: { ok: true } } });
      for (const name of ['pipeline', 'scheduler', 'publisher', 'ai-templates']) {
        expect(res.body.services[name]).toMatchObject({ ok: false, detail: expect.stringContaining('did not answer') });
      }
    } finally {
      await sub.unsubscribe();
    }
  });
});
