import request from 'supertest';
import { startGatewayTestApp, type GatewayTestApp } from '../testing/gateway-test-app';

/** Issue #16 item 11: a served API reference at /api/docs, rendered from npm-bundled assets (no CDN). */
describe('/api/docs', () => {
  let t: GatewayTestApp;
  beforeAll(async () => {
    t = await startGatewayTestApp();
  });
  afterAll(() => t.close());

  it('serves Swagger UI whose every script and stylesheet comes from this server, under a self-only CSP', async () => {
    const page = await request(t.http).get('/api/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('id="swagger-ui"');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const res = await request(t.http).get(new URL(asset, 'http://x/api/docs/').pathname).expect(200);
      expect(res.headers['content-type']).toMatch(/javascript|css|image/);
    }
  });

  it('serves the document it renders, with every route and the error shape', async () => {
    const doc = await request(t.http).get('/api/docs-json').expect(200);
    expect(doc.body.info.title).toBe('SchedulerX API');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/posts/{id}', '/api/schedule/slots/{accountId}']));
    expect(doc.body.components.schemas.Error).toBeDefined();
  });
});
