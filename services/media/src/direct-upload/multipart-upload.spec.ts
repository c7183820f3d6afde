import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { MediaUploadComplete, MediaUploadInit, MediaUploadParts, MULTIPART_MIN_PART_BYTES } from '@sx/contracts';
import { createMediaTestApp, createS3MediaTestApp, type MediaTestApp } from '../test-support/media-app';

/** A PNG of deterministic noise (incompressible, so just over 6 MiB): two parts at the 5 MiB minimum. */
async function makeNoisePng(): Promise<Buffer> {
  const width = 1500;
  const height = 1500;
  const raw = Buffer.alloc(width * height * 3);
  let x = 0x2545f491;
  for (let i = 0; i < raw.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    raw[i] = x & 0xff;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

type PartPut = (url: string, body: Buffer) => Promise<{ status: number; etag: string }>;
type MultipartInit = { uploadId: string; multipart: { multipartId: string; partSize: number; partCount: number; parts: { partNumber: number; url: string }[] } };

async function initMultipart(t: MediaTestApp, ws: string, bytes: number): Promise<MultipartInit> {
  const init = await t.bus.request(MediaUploadInit, { filename: 'noise.png', bytes, multipart: true, partSize: MULTIPART_MIN_PART_BYTES }, t.ctx(ws));
  if (!init.ok || !('multipart' in init.data)) throw new Error('expected a multipart upload');
  return init.data;
}

async function sendParts(init: MultipartInit, body: Buffer, put: PartPut): Promise<{ partNumber: number; etag: string }[]> {
  const parts = [];
  for (const { partNumber, url } of init.multipart.parts) {
    const slice = body.subarray((partNumber - 1) * init.multipart.partSize, partNumber * init.multipart.partSize);
    const res = await put(url, slice);
    expect(res.status).toBe(200);
    expect(res.etag.replace(/"/g, '')).toBe(createHash('md5').update(slice).digest('hex'));
    parts.push({ partNumber, etag: res.etag });
  }
  return parts;
}

const complete = (t: MediaTestApp, ws: string, init: MultipartInit, parts: { partNumber: number; etag: string }[]) =>
  t.bus.request(MediaUploadComplete, { uploadId: init.uploadId, multipartId: init.multipart.multipartId, parts, filename: 'noise.png', tags: [], platforms: [] }, t.ctx(ws));

describe('presigned multipart direct uploads', () => {
  let png: Buffer;
  beforeAll(async () => {
    png = await makeNoisePng();
    expect(png.length).toBeGreaterThan(MULTIPART_MIN_PART_BYTES);
    expect(png.length).toBeLessThan(2 * MULTIPART_MIN_PART_BYTES);
  });

  describe('S3 mode (s3rver): parts go straight to the bucket', () => {
    let t: Awaited<ReturnType<typeof createS3MediaTestApp>>;
    const put: PartPut = async (url, body) => {
      const res = await fetch(url, { method: 'PUT', body: new Uint8Array(body) });
      return { status: res.status, etag: res.headers.get('etag') ?? '' };
    };

    beforeAll(async () => {
      t = await createS3MediaTestApp();
    });
    afterAll(() => t?.close());

    it('uploads two parts with plain fetch, completes, ingests and leaves no staging object', async () => {
      const init = await initMultipart(t, 'ws-mp', png.length);
      expect(init.multipart).toMatchObject({ partSize: MULTIPART_MIN_PART_BYTES, partCount: 2 });
      expect(init.multipart.parts.map((p) => p.partNumber)).toEqual([1, 2]);
      expect(init.multipart.parts[0].url).toContain(t.s3.endpoint);
      expect(init.multipart.parts[0].url).toContain('partNumber=1');

      const parts = await sendParts(init, png, put);
      const done = await complete(t, 'ws-mp', init, parts);
      expect(done).toMatchObject({ ok: true, data: { duplicate: false, asset: { filename: 'noise.png', mime: 'image/png', status: 'ready', bytes: png.length } } });
      expect(done.ok && done.data.asset.sha256).toBe(createHash('sha256').update(png).digest('hex'));
      expect(await t.storage.exists(`staging/ws-mp/${init.uploadId}`)).toBe(false);
    });

    it('removes the joined object when ingest rejects it', async () => {
      const junk = Buffer.alloc(MULTIPART_MIN_PART_BYTES + 10, 0x20);
      const init = await initMultipart(t, 'ws-mp', junk.length);
      const done = await complete(t, 'ws-mp', init, await sendParts(init, junk, put));
      expect(done.ok).toBe(false);
      expect(!done.ok && done.error.status).toBeGreaterThanOrEqual(400);
      expect(!done.ok && done.error.status).toBeLessThan(500);
      const left = [];
      for await (const o of t.storage.list('staging/ws-mp/')) left.push(o.key);
      expect(left).toEqual([]);
    });
  });

  describe('disk mode: parts go to the signed /storage/objects route', () => {
    let t: MediaTestApp;
    const put: PartPut = async (url, body) => {
      const res = await request(t.app.getHttpServer()).put(url).set('content-type', 'application/octet-stream').send(body);
      return { status: res.status, etag: String(res.headers['etag'] ?? '') };
    };
    const leftovers = async () => readdir(path.join(t.storageRoot ?? '', 'uploads'));

    beforeAll(async () => {
      t = await createMediaTestApp();
    });
    afterAll(() => t?.close());

    it('pages part URLs, completes, ingests, reports the same bytes again as a duplicate', async () => {
      const init = await initMultipart(t, 'ws-dm', png.length);
      expect(init.multipart.parts[1].url).toMatch(/^\/storage\/objects\/staging\/ws-dm\/.+partNumber=2/);
      const page = await t.bus.request(MediaUploadParts, { uploadId: init.uploadId, multipartId: init.multipart.multipartId, fromPart: 2, count: 1 }, t.ctx('ws-dm'));
      if (!page.ok) throw new Error(page.error.message);
      expect(page.data.parts.map((p) => p.partNumber)).toEqual([2]);
      const stranger = await t.bus.request(MediaUploadParts, { uploadId: init.uploadId, multipartId: init.multipart.multipartId, fromPart: 1, count: 1 }, t.ctx('ws-other'));
      expect(stranger).toMatchObject({ ok: false, error: { code: 'upload_not_found', status: 404 } });

      const parts = await sendParts({ ...init, multipart: { ...init.multipart, parts: [init.multipart.parts[0], page.data.parts[0]] } }, png, put);
      expect(await complete(t, 'ws-other', init, parts)).toMatchObject({ ok: false, error: { code: 'upload_not_found' } });
      const done = await complete(t, 'ws-dm', init, parts);
      expect(done).toMatchObject({ ok: true, data: { duplicate: false, asset: { status: 'ready', bytes: png.length } } });
      expect(await leftovers()).toEqual([]);
      expect(await complete(t, 'ws-dm', init, parts)).toMatchObject({ ok: false, error: { code: 'upload_not_found', status: 404 } });

      const second = await initMultipart(t, 'ws-dm', png.length);
      const dup = await complete(t, 'ws-dm', second, await sendParts(second, png, put));
      expect(dup).toMatchObject({ ok: true, data: { duplicate: true, asset: { id: done.ok ? done.data.asset.id : '' } } });
      expect(await leftovers()).toEqual([]);
    });

    it('rejects bad bytes on complete and removes both the parts and the staged object', async () => {
      const junk = Buffer.alloc(MULTIPART_MIN_PART_BYTES + 10, 0x20);
      const init = await initMultipart(t, 'ws-dm', junk.length);
      const done = await complete(t, 'ws-dm', init, await sendParts(init, junk, put));
      expect(done.ok).toBe(false);
      expect(!done.ok && done.error.status).toBeGreaterThanOrEqual(400);
      expect(!done.ok && done.error.status).toBeLessThan(500);
      expect(await leftovers()).toEqual([]);
      expect(await t.storage.exists(`staging/ws-dm/${init.uploadId}`)).toBe(false);
    });

    it('refuses incomplete or impossible multipart requests with coded 4xx errors', async () => {
      const init = await initMultipart(t, 'ws-dm', png.length);
      const half = await t.bus.request(MediaUploadComplete, { uploadId: init.uploadId, multipartId: init.multipart.multipartId, filename: 'x.png', tags: [], platforms: [] }, t.ctx('ws-dm'));
      expect(half).toMatchObject({ ok: false, error: { code: 'invalid_multipart', status: 400 } });
      const tooSmall = await t.bus.request(MediaUploadInit, { filename: 'x.png', bytes: 100, multipart: true, partSize: 1024 }, t.ctx('ws-dm'));
      expect(tooSmall).toMatchObject({ ok: false, error: { status: 422 } });
      const huge = await t.bus.request(MediaUploadInit, { filename: 'x.mp4', bytes: t.config.media.maxBytes + 1, multipart: true }, t.ctx('ws-dm'));
      expect(huge).toMatchObject({ ok: false, error: { code: 'file_too_large', status: 413 } });
      expect(await leftovers()).toHaveLength(1);
      const forged = await complete(t, 'ws-dm', init, [{ partNumber: 1, etag: '0'.repeat(32) }]);
      expect(forged).toMatchObject({ ok: false, error: { code: 'invalid_part', status: 400 } });
      expect(await leftovers()).toEqual([]);
      expect(await put(init.multipart.parts[0].url, Buffer.from('late'))).toMatchObject({ status: 404 });
    });
  });
});
