import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError } from '@sx/service-kit';
import { MIN_PART_SIZE, type ObjectStorage, type ObjectSummary } from '../object-storage';
import { digestStream, patternStream, streamToString } from './byte-streams';

export interface ContractHarness {
  storage: ObjectStorage;
  /** Fetches a presigned URL the way a browser would (disk URLs go through a test HTTP route). */
  fetchPresigned(url: string, init?: RequestInit): Promise<Response>;
}

const text = (s: string): Readable => Readable.from([Buffer.from(s)]);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return `${e.status}:${e.code}`;
    throw e;
  }
  throw new Error('expected an AppError, but the call succeeded');
}

async function collect(it: AsyncIterable<ObjectSummary>): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of it) keys.push(o.key);
  return keys;
}

/** One behavioural suite every ObjectStorage driver must pass. */
export function objectStorageContract(name: string, harness: () => ContractHarness): void {
  describe(`ObjectStorage contract: ${name}`, () => {
    const s = (): ObjectStorage => harness().storage;

    it('stores a stream with content type and metadata, and reads it back', async () => {
      const put = await s().put('media/a1/hello.txt', text('hello world'), {
        contentType: 'text/plain',
        metadata: { Origin: 'upload' },
      });
      expect(put).toMatchObject({ key: 'media/a1/hello.txt', size: 11, contentType: 'text/plain' });
      expect(put.etag).toBe(createHash('md5').update('hello world').digest('hex'));
      const got = await s().get('media/a1/hello.txt');
      expect(await streamToString(got.stream)).toBe('hello world');
      expect(got.info.metadata).toEqual({ origin: 'upload' });
      expect(await s().exists('media/a1/hello.txt')).toBe(true);
    });

    it('overwrites an object and defaults the content type', async () => {
      await s().put('media/over.bin', text('first'));
      await s().put('media/over.bin', text('second!'));
      const info = await s().stat('media/over.bin');
      expect(info).toMatchObject({ size: 7, contentType: 'application/octet-stream', metadata: {} });
      expect(await streamToString((await s().get('media/over.bin')).stream)).toBe('second!');
    });

    it('streams a large object of unknown length in and out byte-equal', async () => {
      const size = 9 * 1024 * 1024 + 123;
      const expected = await digestStream(patternStream(size, 7));
      const info = await s().put('media/large.bin', patternStream(size, 7), { contentType: 'video/mp4' });
      expect(info.size).toBe(size);
      expect(await digestStream((await s().get('media/large.bin')).stream)).toEqual(expected);
    });

    it('serves inclusive byte ranges and refuses unsatisfiable ones with 416', async () => {
      await s().put('media/range.txt', text('0123456789'));
      const mid = await s().get('media/range.txt', { start: 2, end: 5 });
      expect(mid.range).toEqual({ start: 2, end: 5 });
      expect(mid.info.size).toBe(10);
      expect(await streamToString(mid.stream)).toBe('2345');
      const tail = await s().get('media/range.txt', { start: 7 });
      expect(await streamToString(tail.stream)).toBe('789');
      const clamped = await s().get('media/range.txt', { start: 8, end: 500 });
      expect(await streamToString(clamped.stream)).toBe('89');
      expect(await codeOf(s().get('media/range.txt', { start: 10 }))).toBe('416:range_not_satisfiable');
      expect(await codeOf(s().get('media/range.txt', { start: 5, end: 2 }))).toBe('416:range_not_satisfiable');
    });

    it('stores an empty object; any range of it is unsatisfiable', async () => {
      const info = await s().put('media/empty.txt', Readable.from([]));
      expect(info.size).toBe(0);
      expect(await streamToString((await s().get('media/empty.txt')).stream)).toBe('');
      expect(await codeOf(s().get('media/empty.txt', { start: 0 }))).toBe('416:range_not_satisfiable');
    });

    it('reports missing objects as 404 and deletes idempotently', async () => {
      expect(await codeOf(s().stat('media/none.txt'))).toBe('404:not_found');
      expect(await codeOf(s().get('media/none.txt'))).toBe('404:not_found');
      expect(await s().exists('media/none.txt')).toBe(false);
      await s().put('media/gone.txt', text('x'));
      await s().delete('media/gone.txt');
      await s().delete('media/gone.txt');
      expect(await s().exists('media/gone.txt')).toBe(false);
    });

    it('lists keys under a prefix in ascending key order', async () => {
      for (const key of ['lst/b', 'lst/a/b', 'lst/ab', 'lst/a/a', 'lsx/other', 'lst/c/d/e']) {
        await s().put(key, text(key));
      }
      expect(await collect(s().list('lst/'))).toEqual(['lst/a/a', 'lst/a/b', 'lst/ab', 'lst/b', 'lst/c/d/e']);
      expect(await collect(s().list('lst/a'))).toEqual(['lst/a/a', 'lst/a/b', 'lst/ab']);
      expect(await collect(s().list('lst/nothing/'))).toEqual([]);
      const found: ObjectSummary[] = [];
      for await (const o of s().list('lst/b')) found.push(o);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ key: 'lst/b', size: 5, etag: createHash('md5').update('lst/b').digest('hex') });
    });

    it('rejects unsafe keys, metadata and expiries with coded 400s', async () => {
      for (const key of ['../etc/passwd', '/abs', 'a//b', 'a/./b', '', 'a\\b', 'sp ace', 'a/..']) {
        expect(await codeOf(s().put(key, text('x')))).toBe('400:invalid_object_key');
        expect(await codeOf(s().stat(key))).toBe('400:invalid_object_key');
      }
      expect(await codeOf(s().put('ok', text('x'), { metadata: { 'bad key': 'v' } }))).toBe('400:invalid_metadata');
      expect(await codeOf(s().put('ok', text('x'), { metadata: { 'content-type': 'v' } }))).toBe('400:invalid_metadata');
      expect(await codeOf(s().put('ok', text('x'), { contentType: 'nonsense' }))).toBe('400:invalid_content_type');
      expect(await codeOf(s().presignGet('ok', { expiresInS: 0 }))).toBe('400:invalid_expiry');
      expect(await codeOf((async () => s().list('../'))())).toBe('400:invalid_object_key');
    });

    it('uploads a multi-part object (parts sent out of order) and reads it back byte-equal', async () => {
      const sizes = [MIN_PART_SIZE, 1024 * 1024 + 17];
      const uploadId = await s().createMultipartUpload('media/multi.mp4', {
        contentType: 'video/mp4',
        metadata: { source: 'multipart' },
      });
      const p2 = await s().uploadPart('media/multi.mp4', uploadId, 2, patternStream(sizes[1], 22));
      const p1 = await s().uploadPart('media/multi.mp4', uploadId, 1, patternStream(sizes[0], 11));
      const info = await s().completeMultipartUpload('media/multi.mp4', uploadId, [p1, p2]);
      expect(info).toMatchObject({ size: sizes[0] + sizes[1], contentType: 'video/mp4', metadata: { source: 'multipart' } });
      const joined = Readable.from(
        (async function* () {
          yield* patternStream(sizes[0], 11);
          yield* patternStream(sizes[1], 22);
        })(),
      );
      const expected = await digestStream(joined);
      expect(await digestStream((await s().get('media/multi.mp4')).stream)).toEqual(expected);
      const tail = await s().get('media/multi.mp4', { start: sizes[0] - 2, end: sizes[0] + 1 });
      expect(tail.range).toEqual({ start: sizes[0] - 2, end: sizes[0] + 1 });
    });

    it('hands out presigned GET and PUT URLs that work with plain HTTP', async () => {
      await s().put('media/shared.txt', text('shared bytes'), { contentType: 'text/plain' });
      const getUrl = await s().presignGet('media/shared.txt', { expiresInS: 300 });
      const res = await harness().fetchPresigned(getUrl);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('shared bytes');

      const putUrl = await s().presignPut('media/uploaded.txt', { expiresInS: 300 });
      const put = await harness().fetchPresigned(putUrl, { method: 'PUT', body: 'sent by a browser' });
      expect(put.status).toBe(200);
      expect(await streamToString((await s().get('media/uploaded.txt')).stream)).toBe('sent by a browser');
    });

    it('completes a multipart upload whose parts were PUT to presigned part URLs with plain HTTP', async () => {
      const key = 'media/direct-multi.bin';
      const first = Buffer.alloc(MIN_PART_SIZE, 0x61);
      const last = Buffer.from('the tail');
      const uploadId = await s().createMultipartUpload(key, { contentType: 'video/mp4' });
      const parts = [];
      for (const [i, body] of [first, last].entries()) {
        const url = await s().presignUploadPart(key, uploadId, i + 1, { expiresInS: 300 });
        const res = await harness().fetchPresigned(url, { method: 'PUT', body: new Uint8Array(body) });
        expect(res.status).toBe(200);
        const etag = res.headers.get('etag') ?? '';
        expect(etag.replace(/"/g, '')).toBe(createHash('md5').update(body).digest('hex'));
        parts.push({ partNumber: i + 1, etag });
      }
      expect(await s().exists(key)).toBe(false);
      const info = await s().completeMultipartUpload(key, uploadId, parts);
      expect(info).toMatchObject({ size: first.length + last.length, contentType: 'video/mp4' });
      const tail = await s().get(key, { start: first.length - 1 });
      expect(await streamToString(tail.stream)).toBe('athe tail');
      expect(await codeOf(s().presignUploadPart(key, uploadId, 0, { expiresInS: 300 }))).toBe('400:invalid_part_number');
    });

    it('is healthy', async () => {
      expect(await s().health()).toEqual({ ok: true });
    });
  });
}
