import request from 'supertest';
import { setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';

const shape = (code: string) => ({ code, message: expect.any(String), correlationId: expect.any(String) });

/** Issue #16 item 4: NUL, lone surrogates and deep JSON are refused (400) before any route, pipe or bus sees them. */
describe('gateway input hardening', () => {
  let t: GatewayTestApp;
  let owner: SignedIn;
  const bearer = () => ({ authorization: `Bearer ${owner.accessToken}` });

  beforeAll(async () => {
    t = await startGatewayTestApp({ listen: true });
    owner = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  it('refuses NUL in a path segment or query, and undecodable percent-encoding', async () => {
    expect((await request(t.http).get('/api/files?q=%00').set(bearer()).expect(400)).body).toMatchObject(shape('invalid_text'));
    expect((await request(t.http).put('/api/schedule/slots/%00').set(bearer()).send({}).expect(400)).body).toMatchObject(shape('invalid_text'));
    expect((await request(t.http).get('/api/nowhere?state=a%00b').expect(400)).body).toMatchObject(shape('invalid_text'));
    expect((await request(t.http).get('/api/files?q=%ED%A0%80').set(bearer()).expect(400)).body).toMatchObject(shape('malformed_url'));
  });

  it('refuses NUL and lone surrogates anywhere in a JSON body, keys included', async () => {
    const send = (raw: string) => request(t.http).post('/api/posts').set(bearer()).set('content-type', 'application/json').send(raw);
    expect((await send('{"text":"hello\\u0000"}').expect(400)).body).toMatchObject({ ...shape('invalid_text'), details: { in: 'body', path: 'text' } });
    expect((await send('{"hashtags":["#a","#\\ud800"]}').expect(400)).body).toMatchObject({ details: { path: 'hashtags.1' } });
    expect((await send('{"overrides":{"\\u0000":1}}').expect(400)).body.code).toBe('invalid_text');
  });

  it('refuses JSON nested deeper than 64 before parsing it', async () => {
    const deep = `{"overrides":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const res = await request(t.http).post('/api/posts').set(bearer()).set('content-type', 'application/json').send(deep).expect(400);
    expect(res.body).toMatchObject({ ...shape('json_too_deep'), details: { maxDepth: 64 } });
  });

  it('answers oversized request headers with 431 in the error shape', async () => {
    const res = await request(t.http).get('/api/health').set('x-filler', 'x'.repeat(20_000));
    expect(res.status).toBe(431);
    expect(JSON.parse(res.text)).toEqual(shape('headers_too_large'));
  });
});
