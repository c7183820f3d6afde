import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { MediaUploadComplete, MediaUploadInit, MULTIPART_MIN_PART_BYTES } from '@sx/contracts';
import { dataSourceToken } from '@sx/persistence';
import { MEDIA_SCHEMA } from '../db/media-schema';
import { createMediaTestApp, createS3MediaTestApp, type MediaTestApp } from '../test-support/media-app';
import { DirectUploadService } from './direct-upload.service';

const DAY_MS = 24 * 3_600_000;
type Put = (url: string, body: Buffer) => Promise<number>;

/** Hands out an upload as a client would; a multipart one also gets its first part. */
async function begin(t: MediaTestApp, ws: string, put: Put, multipart: boolean): Promise<{ uploadId: string; multipartId?: string; nextPartUrl?: string }> {
  const bytes = multipart ? 2 * MULTIPART_MIN_PART_BYTES : 64;
  const init = await t.bus.request(MediaUploadInit, { filename: 'walked-away.bin', bytes, multipart, partSize: MULTIPART_MIN_PART_BYTES }, t.ctx(ws));
  if (!init.ok) throw new Error(init.error.message);
  if ('multipart' in init.data && init.data.multipart) {
    const [first, second] = init.data.multipart.parts;
    expect(await put(first.url, Buffer.alloc(MULTIPART_MIN_PART_BYTES, 1))).toBe(200);
    return { uploadId: init.data.uploadId, multipartId: init.data.multipart.multipartId, nextPartUrl: second.url };
  }
  if (!('url' in init.data)) throw new Error('expected a presigned PUT');
  expect(await put(init.data.url, Buffer.alloc(bytes, 2))).toBe(200);
  return { uploadId: init.data.uploadId };
}

function harness(t: MediaTestApp) {
  const ds = t.app.get<DataSource>(dataSourceToken(MEDIA_SCHEMA));
  return {
    direct: t.app.get(DirectUploadService),
    /** Moves uploads a day and an hour into the past, as if handed out then. */
    age: (ids: string[]) => ds.query(`UPDATE media.direct_uploads SET created_at = created_at - interval '25 hours' WHERE upload_id = ANY($1::uuid[])`, [ids]),
    ledger: async () => ((await ds.query(`SELECT upload_id FROM media.direct_uploads ORDER BY upload_id`)) as { upload_id: string }[]).map((r) => r.upload_id),
    dayAgo: () => new Date(Date.now() - DAY_MS),
  };
}

describe('abandoned direct uploads are reaped after a day', () => {
  describe('disk mode', () => {
    let t: MediaTestApp;
    const put: Put = async (url, body) => (await request(t.app.getHttpServer()).put(url).set('content-type', 'application/octet-stream').send(body)).status;
    const uploadsDir = () => path.join(t.storageRoot ?? '', 'uploads');

    beforeAll(async () => {
      t = await createMediaTestApp();
    });
    afterAll(() => t?.close());

    it('aborts stale multipart uploads and deletes stale staging objects, keeps fresh ones, forgets completed ones', async () => {
      const h = harness(t);
      const staleParts = await begin(t, 'ws-r', put, true);
      const staleObject = await begin(t, 'ws-r', put, false);
      const fresh = await begin(t, 'ws-r', put, true);
      const done = await begin(t, 'ws-r', put, false);
      const completed = await t.bus.request(MediaUploadComplete, { uploadId: done.uploadId, filename: 'x.bin', tags: [], platforms: [] }, t.ctx('ws-r'));
      expect(completed.ok).toBe(false); // not a media file: rejected, and the upload is over either way
      expect(await h.ledger()).toEqual([staleParts.uploadId, staleObject.uploadId, fresh.uploadId].sort());
      expect(await readdir(uploadsDir())).toHaveLength(2);

      await h.age([staleParts.uploadId, staleObject.uploadId]);
      expect(await h.direct.reapAbandoned(h.dayAgo())).toEqual({ reaped: 2, failed: 0 });
      expect(await h.ledger()).toEqual([fresh.uploadId]);
      expect(await readdir(uploadsDir())).toEqual([fresh.multipartId]);
      expect(await t.storage.exists(`staging/ws-r/${staleObject.uploadId}`)).toBe(false);
      expect(await put(staleParts.nextPartUrl ?? '', Buffer.alloc(16))).toBe(404);
      expect(await h.direct.reapAbandoned(h.dayAgo())).toEqual({ reaped: 0, failed: 0 });

      expect(await h.direct.reapAbandoned(new Date(Date.now() + 1_000))).toEqual({ reaped: 1, failed: 0 });
      expect(await readdir(uploadsDir())).toEqual([]);
    });
  });

  describe('S3 mode (s3rver)', () => {
    let t: MediaTestApp;
    const put: Put = async (url, body) => (await fetch(url, { method: 'PUT', body: new Uint8Array(body) })).status;

    beforeAll(async () => {
      t = await createS3MediaTestApp();
    });
    afterAll(() => t?.close());

    it('deletes a stale staging object from the bucket; an upload the store will not abort stays for the next sweep', async () => {
      const h = harness(t);
      const staleObject = await begin(t, 'ws-s', put, false);
      // s3rver answers AbortMultipartUpload with 405, as an unreachable store would fail it.
      const unabortable = await begin(t, 'ws-s', put, true);
      expect(await t.storage.exists(`staging/ws-s/${staleObject.uploadId}`)).toBe(true);
      await h.age([staleObject.uploadId, unabortable.uploadId]);
      expect(await h.direct.reapAbandoned(h.dayAgo())).toEqual({ reaped: 1, failed: 1 });
      expect(await t.storage.exists(`staging/ws-s/${staleObject.uploadId}`)).toBe(false);
      expect(await h.ledger()).toEqual([unabortable.uploadId]);
    });
  });
});
