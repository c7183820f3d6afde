import request from 'supertest';
import { MediaUploadComplete, MediaUploadInit } from '@sx/contracts';
import { createS3MediaTestApp } from '../test-support/media-app';
import { makeJpegWithExif } from '../test-support/media-fixtures';

describe('S3 mode: presigned direct uploads and presigned downloads', () => {
  let t: Awaited<ReturnType<typeof createS3MediaTestApp>>;
  beforeAll(async () => {
    t = await createS3MediaTestApp();
  });
  afterAll(() => t?.close());

  it('hands out a presigned PUT, ingests what lands in the bucket, removes the staging object', async () => {
    const body = await makeJpegWithExif(320, 200);
    const init = await t.bus.request(MediaUploadInit, { filename: 'direct.jpg', bytes: body.length }, t.ctx('ws-s3'));
    if (!init.ok || !('url' in init.data)) throw new Error('expected a single presigned PUT');
    expect(init.data.url).toContain(t.s3.endpoint);
    const put = await fetch(init.data.url, { method: 'PUT', body: new Uint8Array(body) });
    expect(put.status).toBe(200);

    const stranger = await t.bus.request(MediaUploadComplete, { uploadId: init.data.uploadId, filename: 'x.jpg', tags: [], platforms: [] }, t.ctx('ws-other'));
    expect(stranger).toMatchObject({ ok: false, error: { code: 'upload_not_found', status: 404 } });

    const done = await t.bus.request(MediaUploadComplete, { uploadId: init.data.uploadId, filename: 'direct.jpg', tags: ['s3'], platforms: [] }, t.ctx('ws-s3'));
    expect(done).toMatchObject({ ok: true, data: { duplicate: false, asset: { filename: 'direct.jpg', status: 'ready', tags: ['s3'] } } });
    expect(await t.storage.exists(`staging/ws-s3/${init.data.uploadId}`)).toBe(false);
    const again = await t.bus.request(MediaUploadComplete, { uploadId: init.data.uploadId, filename: 'direct.jpg', tags: [], platforms: [] }, t.ctx('ws-s3'));
    expect(again).toMatchObject({ ok: false, error: { code: 'upload_not_found' } });

    const id = done.ok ? done.data.asset.id : '';
    const res = await request(t.app.getHttpServer()).get(`/media/${id}`).set(t.headers('ws-s3'));
    expect(res.status).toBe(302);
    expect(res.headers['location']).toContain(`${t.s3.bucket}/assets/ws-s3/${id}/published`);
  });

  it('refuses a declared size over the cap before signing anything', async () => {
    const r = await t.bus.request(MediaUploadInit, { filename: 'huge.mp4', bytes: t.config.media.maxBytes + 1 }, t.ctx('ws-s3'));
    expect(r).toMatchObject({ ok: false, error: { code: 'file_too_large', status: 413 } });
  });
});
