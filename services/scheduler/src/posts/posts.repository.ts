import type { PostPatch, PostView } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { assertId, decodeCursor, encodeCursor, rows, type Sql, type Tenant } from '../db/rows';

export interface PostRow {
  id: string;
  workspace_id: string;
  title: string | null;
  text: string;
  hashtags: string[];
  media_ids: string[];
  overrides: Record<string, Record<string, unknown>>;
  labels: string[];
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  targets: { id: string; accountId: string; platform: string }[];
}

export interface PostContent {
  title?: string;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  overrides: Record<string, Record<string, unknown>>;
  labels: string[];
}

export const SELECT_POST = `SELECT p.*, COALESCE((SELECT json_agg(json_build_object('id', t.id, 'accountId', t.account_id, 'platform', t.platform) ORDER BY t.account_id)
  FROM scheduler.post_targets t WHERE t.post_id = p.id), '[]') AS targets FROM scheduler.posts p`;

export function toPostView(p: PostRow): PostView {
  return {
    id: p.id,
    title: p.title ?? undefined,
    text: p.text,
    hashtags: p.hashtags,
    mediaIds: p.media_ids,
    overrides: p.overrides,
    labels: p.labels,
    targets: p.targets,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
    deletedAt: p.deleted_at ? p.deleted_at.toISOString() : null,
  };
}

/** Tenant-scoped post queries. */
export const postsRepository = {
  async insert(db: Sql, t: Tenant, actorId: string, c: PostContent, targets: { accountId: string; platform: string }[], nowMs: number): Promise<string> {
    const now = new Date(nowMs);
    const [row] = await rows<{ id: string }>(
      db,
      `INSERT INTO scheduler.posts (workspace_id, title, text, hashtags, media_ids, overrides, labels, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
      [t.workspaceId, c.title ?? null, c.text, JSON.stringify(c.hashtags), JSON.stringify(c.mediaIds), JSON.stringify(c.overrides), JSON.stringify(c.labels), actorId, now],
    );
    const unique = new Map(targets.map((x) => [x.accountId, x]));
    if (unique.size > 0) {
      await db.query(
        `INSERT INTO scheduler.post_targets (workspace_id, post_id, account_id, platform) SELECT $1, $2, x.a, x.p FROM unnest($3::text[], $4::text[]) AS x(a, p)`,
        [t.workspaceId, row.id, [...unique.keys()], [...unique.values()].map((x) => x.platform)],
      );
    }
    return row.id;
  },

  async get(db: Sql, t: Tenant, id: string, opts: { includeDeleted?: boolean; forUpdate?: boolean } = {}): Promise<PostRow> {
    assertId(id, 'post');
    const [row] = await rows<PostRow>(db, `${SELECT_POST} WHERE p.workspace_id = $1 AND p.id = $2 ${opts.includeDeleted ? '' : 'AND p.deleted_at IS NULL'}`, [t.workspaceId, id]);
    if (!row) throw AppError.notFound('post', id);
    if (opts.forUpdate) await db.query(`SELECT id FROM scheduler.posts WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [t.workspaceId, id]);
    return row;
  },

  async list(db: Sql, t: Tenant, q: { limit: number; cursor?: string; includeDeleted: boolean; label?: string }): Promise<{ items: PostRow[]; nextCursor: string | null }> {
    const c = decodeCursor(q.cursor);
    const items = await rows<PostRow>(
      db,
      `${SELECT_POST} WHERE p.workspace_id = $1 AND ($2 OR p.deleted_at IS NULL) AND ($3::text IS NULL OR p.labels ? $3)
         AND ($4::timestamptz IS NULL OR (p.created_at, p.id) < ($4, $5::uuid))
       ORDER BY p.created_at DESC, p.id DESC LIMIT $6`,
      [t.workspaceId, q.includeDeleted, q.label ?? null, c?.at ?? null, c?.id ?? null, q.limit + 1],
    );
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > q.limit && last ? encodeCursor(last.created_at, last.id) : null };
  },

  /** PATCH semantics: only the fields present in `c` are written; `title: null` clears the title. */
  async update(db: Sql, t: Tenant, id: string, c: PostPatch, nowMs: number): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [t.workspaceId, id, new Date(nowMs)];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (c.title !== undefined) set('title', c.title);
    if (c.text !== undefined) set('text', c.text);
    if (c.hashtags !== undefined) set('hashtags', JSON.stringify(c.hashtags));
    if (c.mediaIds !== undefined) set('media_ids', JSON.stringify(c.mediaIds));
    if (c.overrides !== undefined) set('overrides', JSON.stringify(c.overrides));
    if (c.labels !== undefined) set('labels', JSON.stringify(c.labels));
    await db.query(`UPDATE scheduler.posts SET ${[...sets, 'updated_at = $3'].join(', ')} WHERE workspace_id = $1 AND id = $2`, params);
  },

  /** Replaces a post's target accounts (one row per account). */
  async replaceTargets(db: Sql, t: Tenant, id: string, targets: { accountId: string; platform: string }[]): Promise<void> {
    const unique = new Map(targets.map((x) => [x.accountId, x]));
    await db.query(`DELETE FROM scheduler.post_targets WHERE workspace_id = $1 AND post_id = $2 AND NOT (account_id = ANY($3::text[]))`, [t.workspaceId, id, [...unique.keys()]]);
    await db.query(
      `INSERT INTO scheduler.post_targets (workspace_id, post_id, account_id, platform) SELECT $1, $2, x.a, x.p FROM unnest($3::text[], $4::text[]) AS x(a, p)
       WHERE NOT EXISTS (SELECT 1 FROM scheduler.post_targets e WHERE e.workspace_id = $1 AND e.post_id = $2 AND e.account_id = x.a)`,
      [t.workspaceId, id, [...unique.keys()], [...unique.values()].map((x) => x.platform)],
    );
  },

  async setDeleted(db: Sql, t: Tenant, id: string, deletedAt: Date | null, nowMs: number): Promise<void> {
    await db.query(`UPDATE scheduler.posts SET deleted_at = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2`, [t.workspaceId, id, deletedAt, new Date(nowMs)]);
  },
};
