import { readFile } from 'node:fs/promises';
import { AppError } from '@sx/service-kit';
import { createIngestHarness, type IngestHarness } from '../test-support/ingest-harness';
import { makeJpegWithExif, makeMp4, makePixelBombPng, makePng, writeFixture } from '../test-support/media-fixtures';
import { makeZip } from '../test-support/zip';
import { hashFile } from './spool';

const actor = { workspaceId: 'ws-bad', actorId: 'user-1', correlationId: 'corr-bad' };

describe('bad-input corpus (issue item 10)', () => {
  let h: IngestHarness;
  let corpus: { name: string; body: Buffer; code: string; status: number }[];

  beforeAll(async () => {
    h = await createIngestHarness({ limits: { maxDurationS: 1, maxBytes: 5 * 1024 * 1024 } });
    const mp4 = await readFile(await makeMp4(h.tmp, 2));
    const jpeg = await makeJpegWithExif(320, 240);
    corpus = [
      { name: 'truncated.mp4', body: mp4.subarray(0, Math.floor(mp4.length * 0.6)), code: 'truncated_file', status: 422 },
      {
        name: 'polyglot.jpg',
        body: Buffer.concat([jpeg, Buffer.from('<html><script>alert(document.cookie)</script></html>')]),
        code: 'polyglot_rejected',
        status: 422,
      },
      {
        name: 'logo.svg',
        body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        code: 'unsupported_type',
        status: 415,
      },
      { name: 'bomb.png', body: await makePixelBombPng(30000, 30000), code: 'too_many_pixels', status: 422 },
      { name: 'archive.mp4', body: makeZip('a.txt', Buffer.from('hello zip')), code: 'unsupported_type', status: 415 },
      { name: 'empty.jpg', body: Buffer.alloc(0), code: 'empty_file', status: 422 },
      { name: 'page.jpg', body: Buffer.from('<!doctype html><html><body>hi</body></html>'), code: 'unsupported_type', status: 415 },
      { name: 'cut.jpg', body: jpeg.subarray(0, Math.floor(jpeg.length / 2)), code: 'corrupt_file', status: 422 },
      { name: 'long.mp4', body: mp4, code: 'duration_exceeded', status: 422 },
      { name: 'huge.png', body: Buffer.concat([await makePng(), Buffer.alloc(6 * 1024 * 1024)]), code: 'file_too_large', status: 413 },
    ];
  }, 60_000);

  afterAll(() => h.close());

  it('rejects every file with a coded 4xx, records the reason, and leaves nothing in storage', async () => {
    const rssBefore = process.memoryUsage().rss;
    for (const c of corpus) {
      const file = await writeFixture(h.tmp, c.name, c.body);
      const input = { file, bytes: c.body.length, sha256: await hashFile(file), filename: c.name, source: 'upload' as const, actor };
      const err = await h.ingest.ingest(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect({ name: c.name, code: (err as AppError).code, status: (err as AppError).status }).toEqual({
        name: c.name,
        code: c.code,
        status: c.status,
      });
      expect((err as AppError).message.length).toBeGreaterThan(5);
    }
    // A 30000x30000 decode would need ~2.7 GB; the header-only pixel check keeps memory flat.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
    expect(await h.listKeys()).toEqual([]);

    const page = await h.repo.list({ workspaceId: actor.workspaceId }, { limit: 50, deleted: 'exclude', sort: 'created_asc' });
    expect(page.items).toHaveLength(corpus.length);
    expect(page.items.every((a) => a.status === 'rejected' && a.storageKey === null)).toBe(true);
    expect(page.items.map((a) => a.statusCode).sort()).toEqual(corpus.map((c) => c.code).sort());
    const rejected = h.outbox.events.filter((e) => e.subject === 'media.rejected');
    expect(rejected).toHaveLength(corpus.length);
    expect(h.outbox.events.filter((e) => e.subject === 'media.ready')).toHaveLength(0);
  });

  it('trusts content, not the name: a PNG called clip.mp4 is ingested as image/png', async () => {
    const body = await makePng(10, 10);
    const file = await writeFixture(h.tmp, 'clip.mp4', body);
    const r = await h.ingest.ingest({ file, bytes: body.length, sha256: await hashFile(file), filename: 'clip.mp4', source: 'upload', actor });
    expect(r.asset).toMatchObject({ mime: 'image/png', kind: 'image', status: 'ready' });
  });
});
