import { randomUUID } from 'node:crypto';
import type { MediaAssetEntity } from '../db/media-asset.entity';
import { createMediaTestDb, type MediaTestDb } from '../test-support/media-db';
import { AssetsRepository, type ListQuery } from './assets.repository';

const WS = { workspaceId: 'ws-lib' };
const base: ListQuery = { limit: 50, deleted: 'exclude', sort: 'created_desc' };

function asset(i: number, over: Partial<MediaAssetEntity> = {}): MediaAssetEntity {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
  return {
    id: randomUUID(),
    workspaceId: WS.workspaceId,
    filename: `file-${String(i).padStart(2, '0')}.jpg`,
    mime: 'image/jpeg',
    kind: 'image',
    bytes: 1000 + (i % 7) * 10,
    sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
    status: 'ready',
    statusCode: null,
    statusDetail: null,
    source: 'upload',
    storageKey: `k/${i}`,
    renditions: {},
    metadata: { width: 100 + i },
    tags: [],
    platforms: [],
    createdBy: 'u',
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    ...over,
  };
}

describe('AssetsRepository library queries', () => {
  let db: MediaTestDb;
  let repo: AssetsRepository;

  beforeAll(async () => {
    db = await createMediaTestDb();
    repo = new AssetsRepository(db.ds);
    const rows = Array.from({ length: 25 }, (_, i) => asset(i));
    rows[3] = asset(3, { kind: 'video', mime: 'video/mp4', tags: ['boss', 'elden'], platforms: ['youtube'], metadata: { videoCodec: 'AVC' } });
    rows[4] = asset(4, { tags: ['boss'], deletedAt: new Date('2026-02-01T00:00:00Z') });
    rows[5] = asset(5, { status: 'rejected', statusCode: 'corrupt_file' });
    rows[6] = asset(6, { bytes: 1000, createdAt: rows[7].createdAt }); // tie on created_at: the id breaks it
    await db.ds.transaction(async (em) => {
      for (const r of rows) await repo.save(em, r);
      await repo.save(em, asset(30, { workspaceId: 'ws-other', tags: ['boss'] }));
    });
  });
  afterAll(() => db.close());

  async function all(q: ListQuery): Promise<MediaAssetEntity[]> {
    const out: MediaAssetEntity[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await repo.list(WS, { ...q, cursor });
      out.push(...page.items);
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
    throw new Error('pagination did not end');
  }

  it.each(['created_desc', 'created_asc', 'name_asc', 'size_desc'] as const)('pages by keyset (%s) without gaps or repeats', async (sort) => {
    const paged = await all({ ...base, sort, limit: 4 });
    const oneShot = (await repo.list(WS, { ...base, sort, limit: 200 })).items;
    expect(paged.map((a) => a.id)).toEqual(oneShot.map((a) => a.id));
    expect(new Set(paged.map((a) => a.id)).size).toBe(24);
  });

  it('orders newest first and keeps other workspaces out', async () => {
    const items = await all(base);
    expect(items[0].filename).toBe('file-24.jpg');
    expect(items.every((a) => a.workspaceId === WS.workspaceId)).toBe(true);
  });

  it('filters by kind, platform, tags, status, keyword in metadata, date range and deletion', async () => {
    const names = async (q: Partial<ListQuery>) => (await all({ ...base, ...q })).map((a) => a.filename);
    expect(await names({ kind: 'video' })).toEqual(['file-03.jpg']);
    expect(await names({ platform: 'youtube' })).toEqual(['file-03.jpg']);
    expect(await names({ tags: ['boss'] })).toEqual(['file-03.jpg']);
    expect(await names({ tags: ['boss'], deleted: 'include' })).toEqual(['file-04.jpg', 'file-03.jpg']);
    expect(await names({ deleted: 'only' })).toEqual(['file-04.jpg']);
    expect(await names({ status: 'rejected' })).toEqual(['file-05.jpg']);
    expect(await names({ q: 'avc' })).toEqual(['file-03.jpg']);
    expect(await names({ q: 'FILE-1' })).toHaveLength(10);
    expect(await names({ q: '100%' })).toEqual([]);
    expect(await names({ from: '2026-01-01T00:00:20Z', to: '2026-01-01T00:00:22Z' })).toEqual(['file-21.jpg', 'file-20.jpg']);
  });
});
