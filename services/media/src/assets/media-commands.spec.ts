import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { MediaDelete, MediaGet, MediaImportUrl, MediaList, MediaRestore, MediaUpdate } from '@sx/contracts';
import { HealthRegistry } from '@sx/service-kit';
import { createMediaTestApp, type MediaTestApp } from '../test-support/media-app';
import { makePng } from '../test-support/media-fixtures';

describe('media commands over the bus, events through the outbox', () => {
  let t: MediaTestApp;
  let files: http.Server;
  let port: number;
  let png: Buffer;

  beforeAll(async () => {
    png = await makePng(40, 30);
    files = http.createServer((req, res) => {
      if (req.url === '/pics/cat.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    port = (files.address() as AddressInfo).port;
    t = await createMediaTestApp({ SX_EGRESS_ALLOW: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => files.close(() => r()));
  });

  async function untilPublished(subject: string, count: number): Promise<void> {
    for (let i = 0; i < 100 && t.published.filter((e) => e.subject === subject).length < count; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(t.published.filter((e) => e.subject === subject).length).toBeGreaterThanOrEqual(count);
  }

  it('imports a URL, lists, tags, soft-deletes and restores, emitting media.* events with the workspace', async () => {
    const imported = await t.bus.request(MediaImportUrl, { url: `http://127.0.0.1:${port}/pics/cat.png`, tags: ['pets'], platforms: [] }, t.ctx('ws-1'));
    expect(imported).toMatchObject({ ok: true, data: { duplicate: false, asset: { filename: 'cat.png', source: 'url-import', status: 'ready' } } });
    const id = imported.ok ? imported.data.asset.id : '';

    const tagged = await t.bus.request(MediaUpdate, { assetId: id, tags: ['pets', 'cute'], platforms: ['bluesky'] }, t.ctx('ws-1'));
    expect(tagged.ok && tagged.data.tags).toEqual(['pets', 'cute']);
    // PATCH semantics: a field left out keeps its value; null clears it.
    const onlyTags = await t.bus.request(MediaUpdate, { assetId: id, tags: ['pets', 'cute', 'cat'] }, t.ctx('ws-1'));
    expect(onlyTags.ok && [onlyTags.data.tags, onlyTags.data.platforms]).toEqual([['pets', 'cute', 'cat'], ['bluesky']]);
    const cleared = await t.bus.request(MediaUpdate, { assetId: id, tags: null }, t.ctx('ws-1'));
    expect(cleared.ok && [cleared.data.tags, cleared.data.platforms]).toEqual([[], ['bluesky']]);
    await t.bus.request(MediaUpdate, { assetId: id, tags: ['pets', 'cute'] }, t.ctx('ws-1'));
    const listed = await t.bus.request(MediaList, { limit: 10, platform: 'bluesky', tags: ['cute'], deleted: 'exclude', sort: 'created_desc' }, t.ctx('ws-1'));
    expect(listed.ok && listed.data.items.map((a) => a.id)).toEqual([id]);
    const foreign = await t.bus.request(MediaGet, { assetId: id }, t.ctx('ws-2'));
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });

    const deleted = await t.bus.request(MediaDelete, { assetId: id }, t.ctx('ws-1'));
    expect(deleted.ok && deleted.data.deletedAt).not.toBeNull();
    const gone = await request(t.app.getHttpServer()).get(`/media/${id}`).set(t.headers('ws-1'));
    expect(gone.status).toBe(410);
    const trash = await t.bus.request(MediaList, { limit: 10, deleted: 'only', sort: 'created_desc' }, t.ctx('ws-1'));
    expect(trash.ok && trash.data.items.map((a) => a.id)).toEqual([id]);
    const restored = await t.bus.request(MediaRestore, { assetId: id }, t.ctx('ws-1'));
    expect(restored.ok && restored.data.deletedAt).toBeNull();

    await untilPublished('media.deleted', 1);
    await untilPublished('media.ready', 1);
    const subjects = t.published.filter((e) => (e.data as { assetId?: string }).assetId === id).map((e) => e.subject);
    expect(subjects).toEqual(['media.uploaded', 'media.ready', 'media.deleted']);
    expect(t.published.every((e) => e.workspaceId === 'ws-1' && e.correlationId === 'corr-test')).toBe(true);
  });

  it('refuses SSRF redirects, viewers mutating, and bad requests with coded errors', async () => {
    const ssrf = await t.bus.request(MediaImportUrl, { url: `http://127.0.0.1:${port}/elsewhere`, tags: [], platforms: [] }, t.ctx('ws-1'));
    expect(ssrf).toMatchObject({ ok: false, error: { code: 'url_blocked', status: 422 } });
    const viewer = await t.bus.request(MediaDelete, { assetId: '00000000-0000-4000-8000-000000000000' }, t.ctx('ws-1', 'viewer'));
    expect(viewer).toMatchObject({ ok: false, error: { code: 'forbidden', status: 403 } });
    const cursor = await t.bus.request(MediaList, { limit: 5, cursor: 'garbage', deleted: 'exclude', sort: 'created_desc' }, t.ctx('ws-1'));
    expect(cursor).toMatchObject({ ok: false, error: { code: 'invalid_cursor', status: 400 } });
    const missing = await t.bus.request(MediaGet, { assetId: 'not-a-uuid' }, t.ctx('ws-1'));
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });
  });

  it('reports the media database as ready', async () => {
    const report = await t.app.get(HealthRegistry).report();
    expect(report.checks['database:media']?.ok).toBe(true);
  });
});
