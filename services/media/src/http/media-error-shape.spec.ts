import request from 'supertest';
import { Readable } from 'node:stream';
import { createMediaTestApp, type MediaTestApp } from '../test-support/media-app';
import { makePng } from '../test-support/media-fixtures';

const errorShape = (code?: string) => ({ code: code ?? expect.any(String), message: expect.any(String), correlationId: expect.any(String) });

/** Every error of /media/uploads, /media/tus and /storage/objects in the one error shape; 416 carries Content-Range. */
describe('media byte routes: error shape', () => {
  let t: MediaTestApp;
  beforeAll(async () => {
    t = await createMediaTestApp({ SX_UPLOAD_MAX_BYTES: String(1024 * 1024) });
  });
  afterAll(() => t.close());
  const server = () => t.app.getHttpServer();

  it('gives /media/uploads errors a correlation id', async () => {
    const unauthenticated = await request(server()).post('/media/uploads?filename=a.png').send(await makePng(5, 5));
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toMatchObject(errorShape('unauthenticated'));
    const form = await request(server()).post('/media/uploads?filename=a.png').set(t.headers('ws-e')).type('form').send('a=1');
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject(errorShape('raw_body_required'));
  });

  it('answers every /media/tus error as JSON in the error shape', async () => {
    const noVersion = await request(server()).post('/media/tus').set(t.headers('ws-e')).set('upload-length', '10');
    expect(noVersion.status).toBe(412);
    expect(noVersion.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(noVersion.text)).toEqual(errorShape('precondition_failed'));
    const unknown = await request(server()).head('/media/tus/0123456789abcdef').set(t.headers('ws-e')).set('tus-resumable', '1.0.0');
    expect(unknown.status).toBe(404);
    const missing = await request(server()).patch('/media/tus/0123456789abcdef').set(t.headers('ws-e')).set('tus-resumable', '1.0.0')
      .set('upload-offset', '0').set('content-type', 'application/offset+octet-stream').send(Buffer.from('abc'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(missing.text)).toEqual(errorShape('not_found'));
    const badHeader = await request(server()).post('/media/tus').set(t.headers('ws-e')).set('tus-resumable', '1.0.0').set('upload-length', 'abc');
    expect(badHeader.status).toBe(400);
    expect(JSON.parse(badHeader.text)).toEqual(errorShape());
  });

  it('gives /storage/objects errors a correlation id and a 416 its Content-Range', async () => {
    await t.storage.put('assets/ws-e/manual/obj', Readable.from([Buffer.from('0123456789')]), { contentType: 'text/plain' });
    const url = await t.storage.presignGet('assets/ws-e/manual/obj', { expiresInS: 60 });
    const forged = await request(server()).get(url.replace(/signature=[^&]+/, 'signature=AAAA'));
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject(errorShape());
    const outside = await request(server()).get(url).set('range', 'bytes=50-60');
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */10');
    expect(outside.body).toMatchObject(errorShape('range_not_satisfiable'));
  });

  it('gives a 416 on /media/<id> its Content-Range', async () => {
    const up = await request(server()).post('/media/uploads?filename=r.png').set(t.headers('ws-e')).set('content-type', 'application/octet-stream').send(await makePng(16, 16));
    expect(up.status).toBe(201);
    const res = await request(server()).get(`/media/${up.body.asset.id}/original`).set(t.headers('ws-e')).set('range', `bytes=${up.body.asset.bytes + 10}-`);
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${up.body.asset.bytes}`);
    expect(res.body).toMatchObject(errorShape('range_not_satisfiable'));
  });
});
