import request from 'supertest';
import sharp from 'sharp';
import { createMediaTestApp, type MediaTestApp } from '../test-support/media-app';
import { makeJpegWithExif, makePng } from '../test-support/media-fixtures';

describe('media byte routes', () => {
  let t: MediaTestApp;
  let jpeg: Buffer;

  beforeAll(async () => {
    t = await createMediaTestApp({ SX_UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) });
    jpeg = await makeJpegWithExif(800, 600);
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();

  async function upload(body: Buffer, filename: string, ws = 'ws-a') {
    return request(server())
      .post(`/media/uploads?filename=${filename}&tags=holiday,beach&platforms=bluesky`)
      .set(t.headers(ws))
      .set('content-type', 'application/octet-stream')
      .send(body);
  }

  it('streams an upload in, then serves the EXIF-free copy with ranges, ETag and caching', async () => {
    const up = await upload(jpeg, 'beach.jpg');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ duplicate: false, asset: { status: 'ready', mime: 'image/jpeg', tags: ['holiday', 'beach'] } });
    const id = up.body.asset.id as string;

    const full = await request(server()).get(`/media/${id}`).set(t.headers('ws-a')).buffer(true);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['cache-control']).toContain('immutable');
    const body = full.body as Buffer;
    expect((await sharp(body).metadata()).exif).toBeUndefined();
    expect(Number(full.headers['content-length'])).toBe(body.length);

    const part = await request(server()).get(`/media/${id}`).set(t.headers('ws-a')).set('range', 'bytes=10-109').buffer(true);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-109/${body.length}`);
    expect(Buffer.compare(part.body as Buffer, body.subarray(10, 110))).toBe(0);

    const cached = await request(server()).get(`/media/${id}`).set(t.headers('ws-a')).set('if-none-match', full.headers['etag']);
    expect(cached.status).toBe(304);

    const bad = await request(server()).get(`/media/${id}`).set(t.headers('ws-a')).set('range', `bytes=${body.length + 5}-`);
    expect(bad.status).toBe(416);
    expect(bad.body.code).toBe('range_not_satisfiable');

    const thumb = await request(server()).get(`/media/${id}/thumbnail`).set(t.headers('ws-a')).buffer(true);
    expect(thumb.headers['content-type']).toBe('image/webp');

    const again = await upload(jpeg, 'again.jpg');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, asset: { id } });
  });

  it('keeps workspaces apart and enforces roles and authentication', async () => {
    const up = await upload(await makePng(20, 20), 'mine.png', 'ws-b');
    const id = up.body.asset.id as string;
    expect((await request(server()).get(`/media/${id}`).set(t.headers('ws-other'))).status).toBe(404);
    expect((await request(server()).get(`/media/${id}`)).status).toBe(401);
    const viewer = await request(server()).post('/media/uploads?filename=x.png').set(t.headers('ws-b', 'viewer')).send(await makePng(5, 5));
    expect(viewer.status).toBe(403);
    expect((await request(server()).get(`/media/${id}/original`).set(t.headers('ws-b', 'viewer'))).status).toBe(403);
  });

  it('answers a body over the size cap with a clear 413, and a rejected file with its code', async () => {
    const big = await upload(Buffer.alloc(3 * 1024 * 1024, 1), 'big.mp4');
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'file_too_large', details: { maxBytes: 2 * 1024 * 1024 } });
    const form = await request(server()).post('/media/uploads?filename=a.png').set(t.headers('ws-a')).type('form').send('a=1');
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('raw_body_required');
    const svg = await upload(Buffer.from('<svg onload="alert(1)"></svg>'), 'x.svg');
    expect(svg.status).toBe(415);
    expect(svg.body.code).toBe('unsupported_type');
  });

  it('resumes a tus upload: progress via HEAD, the last PATCH answers with the asset', async () => {
    const body = await makeJpegWithExif(300, 200);
    const meta = `filename ${Buffer.from('tus.jpg').toString('base64')}`;
    const created = await request(server())
      .post('/media/tus')
      .set(t.headers('ws-t'))
      .set('tus-resumable', '1.0.0')
      .set('upload-length', String(body.length))
      .set('upload-metadata', meta);
    expect(created.status).toBe(201);
    const location = created.headers['location'] as string;
    expect(location).toMatch(/^\/media\/tus\/[0-9a-f]+$/);

    const half = Math.floor(body.length / 2);
    const first = await request(server())
      .patch(location)
      .set(t.headers('ws-t'))
      .set('tus-resumable', '1.0.0')
      .set('upload-offset', '0')
      .set('content-type', 'application/offset+octet-stream')
      .send(body.subarray(0, half));
    expect(first.status).toBe(204);

    const head = await request(server()).head(location).set(t.headers('ws-t')).set('tus-resumable', '1.0.0');
    expect(head.headers['upload-offset']).toBe(String(half));
    const stranger = await request(server()).head(location).set(t.headers('ws-x')).set('tus-resumable', '1.0.0');
    expect(stranger.status).toBe(404);

    const last = await request(server())
      .patch(location)
      .set(t.headers('ws-t'))
      .set('tus-resumable', '1.0.0')
      .set('upload-offset', String(half))
      .set('content-type', 'application/offset+octet-stream')
      .send(body.subarray(half));
    expect(last.status).toBe(200);
    const result = JSON.parse(last.text) as { asset: { filename: string; status: string; bytes: number } };
    expect(result.asset).toMatchObject({ filename: 'tus.jpg', status: 'ready', bytes: body.length });
  });
});
