import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ObservabilityController } from '@sx/service-kit';
import { PUBLIC_KEY } from '../auth/roles.decorator';
import { addUser, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { RecordingBus } from '../testing/recording-bus';
import { enumerateRoutes } from '../testing/route-inventory';

/** Mutations a viewer may make, on purpose: ending its own session, opening its own event stream, changing its own password. */
const VIEWER_MAY = ['POST /api/auth/logout', 'POST /api/events/ticket', 'POST /api/me/password'];

describe('a viewer cannot mutate anything', () => {
  let t: GatewayTestApp;
  let bus: RecordingBus;
  let viewer: SignedIn;

  beforeAll(async () => {
    t = await startGatewayTestApp({ bus: (clock) => (bus = new RecordingBus({ clock, requestTimeoutMs: 200 })), env: { SX_RATE_LIMIT_PER_MIN: '10000' } });
    const owner = await setupOwner(t.http);
    viewer = await addUser(t.http, owner, 'viewer@example.test', 'viewer');
  });
  afterAll(() => t.close());

  it('gets 403 on every mutating route of every module, and nothing reaches a service', async () => {
    const mutating = enumerateRoutes(t.app).filter(
      (r) =>
        !['GET', 'HEAD', 'OPTIONS'].includes(r.method) &&
        r.controller !== ObservabilityController &&
        Reflect.getMetadata(PUBLIC_KEY, r.handler) !== true &&
        !VIEWER_MAY.includes(`${r.method} ${r.path}`),
    );
    expect(mutating.length).toBeGreaterThan(10);
    const before = bus.requests.length;
    const allowed: string[] = [];
    for (const r of mutating) {
      const url = r.path.replace(/:[A-Za-z]+/g, () => randomUUID());
      const method = r.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
      const res = await request(t.http)[method](url).set('authorization', `Bearer ${viewer.accessToken}`).send({});
      if (res.status !== 403 || res.body.code !== 'forbidden') allowed.push(`${r.method} ${r.path}: ${res.status}`);
    }
    expect(allowed).toEqual([]);
    expect(bus.requests.slice(before)).toEqual([]);
  });
});
