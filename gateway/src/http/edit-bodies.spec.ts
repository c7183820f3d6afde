import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';
import { RecordingBus } from '../testing/recording-bus';

/** Every route that edits a resource, as `METHOD path` with `:id` filled in per test. */
const EDIT_ROUTES = [
  'PATCH /api/posts/:id',
  'POST /api/posts/:id',
  'PATCH /api/scheduled-posts/:id',
  'PATCH /api/schedule/post/:id',
  'PUT /api/ai/templates/:id',
  'PATCH /api/ai/templates/:id',
  'PATCH /api/files/:id',
  'PUT /api/schedule/tasks/:id',
  'PATCH /api/schedule/tasks/:id',
  'PATCH /api/accounts/:id',
  'PUT /api/schedule/slots/:id',
];

describe('edit bodies: JSON objects only, never read as an empty update', () => {
  let t: GatewayTestApp;
  let bus: RecordingBus;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startGatewayTestApp({ bus: (clock) => (bus = new RecordingBus({ clock, requestTimeoutMs: 200 })), env: { SX_RATE_LIMIT_PER_MIN: '10000' } });
    owner = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  function send(route: string, type: string, body: string) {
    const [method, path] = route.split(' ');
    const m = method.toLowerCase() as 'post' | 'put' | 'patch';
    return request(t.http)[m](path.replace(':id', randomUUID())).set('authorization', `Bearer ${owner.accessToken}`).set('content-type', type).send(body);
  }

  it.each(EDIT_ROUTES)('%s: text/plain and form-encoded bodies are 415, a JSON array or scalar is 400, and nothing reaches a service', async (route) => {
    const before = bus.requests.length;
    for (const [type, body] of [['text/plain', '{"text":"edited"}'], ['application/x-www-form-urlencoded', 'text=edited'], ['multipart/form-data; boundary=x', '--x--']]) {
      const res = await send(route, type, body);
      expect({ route, type, status: res.status, code: res.body.code }).toEqual({ route, type, status: 415, code: 'unsupported_media_type' });
      expect(typeof res.body.correlationId).toBe('string');
    }
    const array = await send(route, 'application/json', '[{"text":"edited"}]');
    expect({ route, status: array.status, code: array.body.code }).toEqual({ route, status: 400, code: 'body_not_object' });
    for (const body of ['"edited"', '42']) {
      // The JSON parser is strict: a bare scalar is not a JSON body at all.
      const res = await send(route, 'application/json', body);
      expect({ route, body, status: res.status, code: res.body.code }).toEqual({ route, body, status: 400, code: 'malformed_json' });
    }
    expect(bus.requests.slice(before)).toEqual([]);
  });

  it('forwards exactly the fields given (absent stays absent, null stays null), with the path id winning', async () => {
    const id = randomUUID();
    const before = bus.requests.length;
    await request(t.http).patch(`/api/posts/${id}`).set('authorization', `Bearer ${owner.accessToken}`).send({ text: 'edited', title: null, id: 'spoofed' });
    expect(bus.requests.slice(before).map((r) => r.request)).toEqual([{ text: 'edited', title: null, id }]);
  });

  it('PUT on a template is a full replacement: a missing field is a 422 naming it, and nothing is sent', async () => {
    const before = bus.requests.length;
    const res = await request(t.http).put(`/api/ai/templates/${randomUUID()}`).set('authorization', `Bearer ${owner.accessToken}`).send({ name: 'only a name' });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.details)).toContain('promptText');
    expect(bus.requests.slice(before)).toEqual([]);
  });

  it('a body-less POST action and JSON with a charset still pass', async () => {
    const res = await request(t.http).post('/api/auth/logout').set('authorization', `Bearer ${owner.accessToken}`).set('content-type', 'application/json; charset=utf-8').send('{}');
    expect(res.status).not.toBe(415);
    const plain = await request(t.http).post(`/api/schedule/tasks/${randomUUID()}/pause`).set('authorization', `Bearer ${owner.accessToken}`);
    expect(plain.status).not.toBe(415);
  });
});
