import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '@sx/service-kit';
import { FakeClock } from '@sx/testing';
import { createObjectStorage, verifyPresigned, verifyPresignedTarget } from '../create-object-storage';
import { MIN_PART_SIZE } from '../object-storage';
import { patternStream, streamToString } from '../testing/byte-streams';
import { objectStorageContract } from '../testing/object-storage.contract';
import { startPresignTestServer, type PresignTestServer } from '../testing/presign-test-server';
import { DiskObjectStorage } from './disk-object-storage';

const text = (s: string): Readable => Readable.from([Buffer.from(s)]);

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return `${e.status}:${e.code}`;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('DiskObjectStorage', () => {
  let root: string;
  let storage: DiskObjectStorage;
  let route: PresignTestServer;
  const clock = new FakeClock('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sx-disk-'));
    route = await startPresignTestServer(() => storage);
    storage = createObjectStorage({ driver: 'disk', root }, { clock, presignBaseUrl: route.baseUrl }) as DiskObjectStorage;
  });
  afterAll(async () => {
    await route.close();
    await rm(root, { recursive: true, force: true });
  });

  objectStorageContract('disk', () => ({ storage, fetchPresigned: (url, init) => fetch(url, init) }));

  it('never writes outside its root and leaves no temp files behind', async () => {
    await codeOf(storage.put('../escape.txt', text('x')));
    expect(await readdir(path.dirname(root))).not.toContain('escape.txt');
    await storage.put('tidy/one.txt', text('one'));
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('lists in byte order even where a folder walk would not ("a-c" < "a/b")', async () => {
    for (const key of ['order/a/b', 'order/a-c', 'order/a0']) await storage.put(key, text(key));
    const keys: string[] = [];
    for await (const o of storage.list('order/')) keys.push(o.key);
    expect(keys).toEqual(['order/a-c', 'order/a/b', 'order/a0']);
  });

  it('refuses a key that clashes with an existing key prefix (409) instead of crashing', async () => {
    await storage.put('clash/a', text('file'));
    expect(await codeOf(storage.put('clash/a/b', text('under a file')))).toBe('409:key_conflict');
    expect(await streamToString((await storage.get('clash/a')).stream)).toBe('file');
  });

  it('rejects tampered, wrong-method and expired presigned URLs', async () => {
    await storage.put('secret/doc.txt', text('private'));
    const url = await storage.presignGet('secret/doc.txt', { expiresInS: 60 });
    expect(verifyPresigned(storage, 'GET', url)).toBe('secret/doc.txt');
    const tampered = url.replace('secret/doc.txt', 'secret/other.txt');
    expect(await codeOf(() => verifyPresigned(storage, 'GET', tampered))).toBe('403:presign_invalid');
    expect(await codeOf(() => verifyPresigned(storage, 'PUT', url))).toBe('403:presign_invalid');
    const forged = url.replace(/expires=\d+/, (m) => `expires=${Number(m.split('=')[1]) + 3600}`);
    expect(await codeOf(() => verifyPresigned(storage, 'GET', forged))).toBe('403:presign_invalid');
    expect((await fetch(tampered)).status).toBe(403);
    clock.advance(60_000);
    expect(await codeOf(() => verifyPresigned(storage, 'GET', url))).toBe('403:presign_expired');
  });

  it('binds part URLs to their upload and part: no swapping, stripping or use as a whole-object PUT', async () => {
    const key = 'parts/video.mp4';
    const uploadId = await storage.createMultipartUpload(key);
    const url = await storage.presignUploadPart(key, uploadId, 2, { expiresInS: 60 });
    expect(verifyPresignedTarget(storage, 'PUT', url)).toEqual({ key, part: { uploadId, partNumber: 2 } });
    expect(await codeOf(() => verifyPresigned(storage, 'PUT', url))).toBe('403:presign_invalid');
    expect(await codeOf(() => verifyPresignedTarget(storage, 'PUT', url.replace('partNumber=2', 'partNumber=3')))).toBe('403:presign_invalid');
    const stripped = url.replace(/&?uploadId=[^&]+/, '').replace(/&?partNumber=\d+/, '');
    expect(await codeOf(() => verifyPresignedTarget(storage, 'PUT', stripped))).toBe('403:presign_invalid');
    expect(await codeOf(() => verifyPresignedTarget(storage, 'GET', url))).toBe('403:presign_invalid');
    const other = await storage.presignPut(key, { expiresInS: 60 });
    const grafted = `${other}&uploadId=${uploadId}&partNumber=2`;
    expect(await codeOf(() => verifyPresignedTarget(storage, 'PUT', grafted))).toBe('403:presign_invalid');
    expect(await codeOf(storage.presignUploadPart('parts/else.mp4', uploadId, 1, { expiresInS: 60 }))).toBe('404:upload_not_found');
    await storage.abortMultipartUpload('parts/else.mp4', uploadId);
    expect(verifyPresignedTarget(storage, 'PUT', await storage.presignUploadPart(key, uploadId, 1, { expiresInS: 60 })).key).toBe(key);
    await storage.abortMultipartUpload(key, uploadId);
    expect(await codeOf(storage.presignUploadPart(key, uploadId, 1, { expiresInS: 60 }))).toBe('404:upload_not_found');
    const late = await fetch(url, { method: 'PUT', body: 'x' });
    expect(late.status).toBe(404);
  });

  it('keeps its signing key, so URLs survive a restart on the same root', async () => {
    const url = await storage.presignGet('tidy/one.txt', { expiresInS: 600 });
    const reopened = await DiskObjectStorage.open({ root, presignBaseUrl: route.baseUrl, clock });
    expect(reopened.verifyPresigned('GET', url)).toBe('tidy/one.txt');
    const stranger = await DiskObjectStorage.open({
      root: await mkdtemp(path.join(tmpdir(), 'sx-disk2-')),
      presignBaseUrl: route.baseUrl,
      clock,
    });
    expect(await codeOf(() => stranger.verifyPresigned('GET', url))).toBe('403:presign_invalid');
  });

  it('enforces multipart rules: known upload, matching etags, 5 MiB minimum, abort', async () => {
    const key = 'mp/rules.bin';
    expect(await codeOf(storage.uploadPart(key, 'not-an-id', 1, text('x')))).toBe('404:upload_not_found');
    const id = await storage.createMultipartUpload(key);
    expect(await codeOf(storage.uploadPart('mp/other.bin', id, 1, text('x')))).toBe('404:upload_not_found');
    expect(await codeOf(storage.uploadPart(key, id, 0, text('x')))).toBe('400:invalid_part_number');
    const small = await storage.uploadPart(key, id, 1, text('tiny'));
    const last = await storage.uploadPart(key, id, 2, text('end'));
    expect(await codeOf(storage.completeMultipartUpload(key, id, [small, last]))).toBe('400:part_too_small');
    expect(await codeOf(storage.completeMultipartUpload(key, id, [last, small]))).toBe('400:invalid_part_order');
    const wrongEtag = { partNumber: 2, etag: '0'.repeat(32) };
    expect(await codeOf(storage.completeMultipartUpload(key, id, [wrongEtag]))).toBe('400:invalid_part');
    // Re-uploading a part replaces it; the S3-style etag has the part count suffix.
    const big = await storage.uploadPart(key, id, 1, patternStream(MIN_PART_SIZE, 3));
    const info = await storage.completeMultipartUpload(key, id, [big, last]);
    expect(info.etag).toMatch(/^[0-9a-f]{32}-2$/);
    expect(info.size).toBe(MIN_PART_SIZE + 3);
    expect(await readdir(path.join(root, 'uploads'))).toEqual([]);

    const aborted = await storage.createMultipartUpload(key);
    await storage.uploadPart(key, aborted, 1, text('x'));
    await storage.abortMultipartUpload(key, aborted);
    await storage.abortMultipartUpload(key, aborted);
    expect(await codeOf(storage.uploadPart(key, aborted, 2, text('y')))).toBe('404:upload_not_found');
  });

  it('turns a failing upload stream into a rejected put and keeps the old object', async () => {
    await storage.put('fail/keep.txt', text('old'));
    const broken = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.put('fail/keep.txt', broken)).rejects.toThrow('client went away');
    expect(await streamToString((await storage.get('fail/keep.txt')).stream)).toBe('old');
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('reports unhealthy when the root is gone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sx-disk3-'));
    const doomed = await DiskObjectStorage.open({ root: dir, presignBaseUrl: route.baseUrl });
    await rm(dir, { recursive: true, force: true });
    expect(await doomed.health()).toEqual({ ok: false, detail: 'storage root not writable: ENOENT' });
  });
});
