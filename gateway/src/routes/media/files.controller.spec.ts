import request from 'supertest';
import { MediaDelete, MediaGet, MediaList, type CommandContext } from '@sx/contracts';
import { addUser, setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../../testing/gateway-test-app';
import { FilesController } from './files.controller';

describe('media library routes (/api/files)', () => {
  let gw: GatewayTestApp;
  let owner: SignedIn;
  let viewer: SignedIn;
  const seen: { subject: string; request: unknown; ctx: CommandContext }[] = [];

  beforeAll(async () => {
    gw = await startGatewayTestApp({ controllers: [FilesController] });
    await gw.bus.handle(MediaList, async (req, ctx) => {
      seen.push({ subject: MediaList.subject, request: req, ctx });
      return { ok: true, data: { items: [], nextCursor: null } };
    });
    await gw.bus.handle(MediaGet, async (req, ctx) => {
      seen.push({ subject: MediaGet.subject, request: req, ctx });
      return { ok: false, error: { code: 'not_found', message: `Media asset ${req.assetId} was not found`, status: 404 } };
    });
    await gw.bus.handle(MediaDelete, async (req, ctx) => {
      seen.push({ subject: MediaDelete.subject, request: req, ctx });
      return { ok: false, error: { code: 'not_found', message: 'nope', status: 404 } };
    });
    owner = await setupOwner(gw.http);
    viewer = await addUser(gw.http, owner, 'viewer@example.test', 'viewer');
  });
  afterAll(() => gw.close());

  const auth = (u: SignedIn) => ({ authorization: `Bearer ${u.accessToken}` });

  it('turns the query string into a MediaList request scoped to the caller workspace', async () => {
    const res = await request(gw.http)
      .get('/api/files?limit=5&kind=video&tags=boss,elden&q=fight&sort=name_asc')
      .set(auth(viewer));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(seen.at(-1)).toMatchObject({
      request: { limit: 5, kind: 'video', tags: ['boss', 'elden'], q: 'fight', sort: 'name_asc', deleted: 'exclude' },
      ctx: { workspaceId: owner.workspaceId, role: 'viewer' },
    });
  });

  it('rejects a bad query with 422 and maps the service error codes to HTTP', async () => {
    const bad = await request(gw.http).get('/api/files?limit=5&kind=spreadsheet&from=yesterday').set(auth(owner));
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
    const missing = await request(gw.http).get('/api/files/8c4f5d2e-0000-4000-8000-000000000000').set(auth(owner));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('needs the editor role to delete', async () => {
    const before = seen.length;
    const res = await request(gw.http).delete('/api/files/8c4f5d2e-0000-4000-8000-000000000000').set(auth(viewer));
    expect(res.status).toBe(403);
    expect(seen.length).toBe(before);
    expect((await request(gw.http).get('/api/files')).status).toBe(401);
  });
});
