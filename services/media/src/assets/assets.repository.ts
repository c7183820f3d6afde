import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { CommandRequest, MediaList } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { MediaAssetEntity } from '../db/media-asset.entity';

/** Every query names its workspace: a query without one does not compile. */
export interface WorkspaceScope {
  readonly workspaceId: string;
}

export type ListQuery = CommandRequest<typeof MediaList>;

interface Cursor {
  v: string | number;
  id: string;
}

const SORTS = {
  created_desc: { column: 'a.created_at', dir: 'DESC', value: (a: MediaAssetEntity) => a.createdAt.toISOString() },
  created_asc: { column: 'a.created_at', dir: 'ASC', value: (a: MediaAssetEntity) => a.createdAt.toISOString() },
  name_asc: { column: 'a.filename', dir: 'ASC', value: (a: MediaAssetEntity) => a.filename },
  size_desc: { column: 'a.bytes', dir: 'DESC', value: (a: MediaAssetEntity) => a.bytes },
} as const;

/** Postgres access for media.assets; tenant-scoped, keyset-paginated. */
export class AssetsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  async findById(scope: WorkspaceScope, id: string, em: EntityManager = this.ds.manager): Promise<MediaAssetEntity | null> {
    if (!isUuid(id)) return null;
    return em.findOne(MediaAssetEntity, { where: { workspaceId: scope.workspaceId, id } });
  }

  async getById(scope: WorkspaceScope, id: string, em?: EntityManager): Promise<MediaAssetEntity> {
    const found = await this.findById(scope, id, em);
    if (!found) throw AppError.notFound('Media asset', id);
    return found;
  }

  /** The live (not rejected) asset holding these bytes in this workspace, deleted or not. */
  findBySha(scope: WorkspaceScope, sha256: string, em: EntityManager = this.ds.manager): Promise<MediaAssetEntity | null> {
    return em
      .createQueryBuilder(MediaAssetEntity, 'a')
      .where('a.workspace_id = :ws AND a.sha256 = :sha AND a.status <> :rejected', {
        ws: scope.workspaceId,
        sha: sha256,
        rejected: 'rejected',
      })
      .getOne();
  }

  async insert(em: EntityManager, asset: MediaAssetEntity): Promise<void> {
    await em.save(MediaAssetEntity, asset);
  }

  /**
   * Maintenance, deliberately across workspaces: assets left in `processing` by a crashed process.
   * Each returned row carries its own workspaceId, which every follow-up write uses.
   */
  findStaleProcessing(before: Date, limit = 100): Promise<MediaAssetEntity[]> {
    return this.ds.manager
      .createQueryBuilder(MediaAssetEntity, 'a')
      .where('a.status = :s AND a.updated_at < :before', { s: 'processing', before })
      .orderBy('a.updated_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  async save(em: EntityManager, asset: MediaAssetEntity): Promise<void> {
    await em.save(MediaAssetEntity, asset);
  }

  async list(scope: WorkspaceScope, q: ListQuery): Promise<{ items: MediaAssetEntity[]; nextCursor: string | null }> {
    const sort = SORTS[q.sort];
    const qb = this.ds.manager
      .createQueryBuilder(MediaAssetEntity, 'a')
      .where('a.workspace_id = :ws', { ws: scope.workspaceId });
    applyFilters(qb, q);
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      const op = sort.dir === 'DESC' ? '<' : '>';
      qb.andWhere(`(${sort.column}, a.id) ${op} (:cv, :cid)`, { cv: c.v, cid: c.id });
    }
    qb.orderBy(sort.column, sort.dir).addOrderBy('a.id', sort.dir).limit(q.limit + 1);
    const rows = await qb.getMany();
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor({ v: sort.value(last), id: last.id }) : null;
    return { items, nextCursor };
  }
}

function applyFilters(qb: SelectQueryBuilder<MediaAssetEntity>, q: ListQuery): void {
  if (q.deleted === 'exclude') qb.andWhere('a.deleted_at IS NULL');
  if (q.deleted === 'only') qb.andWhere('a.deleted_at IS NOT NULL');
  if (q.kind) qb.andWhere('a.kind = :kind', { kind: q.kind });
  if (q.status) qb.andWhere('a.status = :status', { status: q.status });
  if (q.platform) qb.andWhere(':platform = ANY(a.platforms)', { platform: q.platform });
  if (q.tags?.length) qb.andWhere('a.tags @> :tags::text[]', { tags: q.tags });
  if (q.from) qb.andWhere('a.created_at >= :from', { from: new Date(q.from) });
  if (q.to) qb.andWhere('a.created_at < :to', { to: new Date(q.to) });
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    qb.andWhere('(a.filename ILIKE :like OR a.metadata::text ILIKE :like OR array_to_string(a.tags, \' \') ILIKE :like)', {
      like,
    });
  }
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if ((typeof c.v === 'string' || typeof c.v === 'number') && typeof c.id === 'string' && isUuid(c.id)) {
      return { v: c.v, id: c.id };
    }
  } catch {
    // fall through to the coded error
  }
  throw new AppError('invalid_cursor', 'The page cursor is not valid', 400);
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
