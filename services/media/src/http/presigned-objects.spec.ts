import request from 'supertest';
import { Readable } from 'node:stream';
import { MediaUploadComplete, MediaUploadInit } from '@sx/contracts';
import { createMediaTestApp, type MediaTestApp } from '../test-support/media-app';
import { makeJpegWithExif } from '../test-support/media-fixtures';

describe('disk-mode presigned URLs (/storage/objects)', () => {
  let t: MediaTestApp;
  beforeAll(async () => {
    t = await createMediaTestApp({ SX_UPLOAD_MAX_BYTES: String(1024 * 1024) });
  });
  afterAll(() => t.close());
  const server = () => t.app.getHttpServer();

  it('runs a direct upload through a signed PUT, then ingests it on complete', async () => {
    const body = await makeJpegWithExif(200, 100);
    const init = await t.bus.request(MediaUploadInit, { filename: 'signed.jpg', bytes: body.length }, t.ctx('ws-d'));
    if (!init.ok || !('url' in init.data)) throw new Error('expected a single presigned PUT');
    expect(init.data.url).toMatch(/^\/storage\/objects\/staging\/ws-d\//);
    const tampered = init.data.url.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await request(server()).put(tampered).set('content-type', 'application/octet-stream').send(body)).status).toBe(403);
    const put = await request(server()).put(init.data.url).set('content-type', 'application/octet-stream').send(body);
    expect(put.status).toBe(200);
    const done = await t.bus.request(MediaUploadComplete, { uploadId: init.data.uploadId, filename: 'signed.jpg', tags: [], platforms: [] }, t.ctx('ws-d'));
    expect(done).toMatchObject({ ok: true, data: { asset: { filename: 'signed.jpg', status: 'ready', bytes: body.length } } });
  });

  it('refuses a signed PUT over the size cap with 413', async () => {
    const init = await t.bus.request(MediaUploadInit, { filename: 'big.bin', bytes: 10 }, t.ctx('ws-d'));
    if (!init.ok || !('url' in init.data)) throw new Error('expected a single presigned PUT');
    const res = await request(server()).put(init.data.url).set('content-type', 'application/octet-stream').send(Buffer.alloc(2 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('file_too_large');
  });

  it('serves a signed GET with ranges and refuses it once expired or for another method', async () => {
    await t.storage.put('assets/ws-d/manual/object', Readable.from([Buffer.from('0123456789')]), { contentType: 'text/plain' });
    const url = await t.storage.presignGet('assets/ws-d/manual/object', { expiresInS: 60 });
    const part = await request(server()).get(url).set('range', 'bytes=2-5');
    expect(part.status).toBe(206);
    expect(part.text).toBe('2345');
    expect((await request(server()).put(url).send('x')).status).toBe(403);
    expect((await request(server()).get(url.replace(/expires=\d+/, 'expires=1'))).status).toBe(403);
  });
});
