import type { ErrorClass, JobView, PublishJobState } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { formatInZone } from '../time/zoned-time';

/** Anything that runs SQL: the DataSource or a transaction's EntityManager. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Every tenant query takes this first, so a query without a workspace does not compile. */
export interface Tenant {
  readonly workspaceId: string;
}

/** Runs a query and types its rows (pg returns `any[]`; callers name the row shape here). */
export async function rows<T>(db: Sql, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, params);
  // TypeORM answers UPDATE/DELETE ... RETURNING with [rows, affectedCount].
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

export type JobKind = 'publish' | 'pipeline' | 'webhook';

export interface JobRow {
  id: string;
  workspace_id: string;
  schedule_id: string;
  post_id: string | null;
  target_id: string | null;
  account_id: string | null;
  platform: string;
  kind: JobKind;
  zone: string;
  due_at: Date;
  fire_at: Date;
  state: PublishJobState;
  attempt: number;
  fencing_token: string;
  lease_owner: string | null;
  fired_at: Date | null;
  last_error: string | null;
  error_class: ErrorClass | null;
  reason: string | null;
  platform_post_id: string | null;
  url: string | null;
}

export const JOB_COLUMNS = `id, workspace_id, schedule_id, post_id, target_id, account_id, platform, kind, zone, due_at, fire_at,
  state, attempt, fencing_token, lease_owner, fired_at, last_error, error_class, reason, platform_post_id, url`;

export function toJobView(r: JobRow): JobView {
  return {
    id: r.id,
    postId: r.post_id,
    scheduleId: r.schedule_id,
    targetId: r.target_id,
    accountId: r.account_id,
    platform: r.platform,
    kind: r.kind,
    state: r.state,
    dueAt: r.due_at.toISOString(),
    zone: r.zone,
    dueLocal: formatInZone(r.due_at, r.zone),
    attempt: r.attempt,
    firedAt: r.fired_at ? r.fired_at.toISOString() : null,
    expectedAt: ['pending', 'armed', 'retry_wait', 'paused'].includes(r.state) ? r.fire_at.toISOString() : null,
    lastError: r.last_error,
    errorClass: r.error_class,
    reason: r.reason,
    platformPostId: r.platform_post_id,
    url: r.url,
  };
}

/** Keyset cursor over (instant, id): opaque base64 for clients, validated on the way back. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new AppError('invalid_cursor', 'The page cursor is not valid', 400);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuids here; anything else cannot exist, so it is a 404 rather than a database error. */
export function assertId(id: string, what: string): string {
  if (!UUID.test(id)) throw AppError.notFound(what, id.slice(0, 64));
  return id;
}
