import type { DataSource } from 'typeorm';
import type { ErrorClass } from '@sx/contracts';

export type AttemptStatus = 'publishing' | 'published' | 'failed' | 'retrying' | 'unknown';

export interface AttemptRecord {
  jobId: string;
  attempt: number;
  workspaceId: string;
  postId: string;
  targetId: string;
  accountId: string;
  pluginId: string | null;
  platform: string;
  fencingToken: number;
  idempotencyKey: string;
  status: AttemptStatus;
  platformPostId: string | null;
  url: string | null;
  errorClass: ErrorClass | null;
  message: string | null;
  retryAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** The publisher process that made (or is making) the call; null on rows from before owners were recorded. */
  owner: string | null;
}

export type NewAttempt = Omit<AttemptRecord, 'platformPostId' | 'url' | 'errorClass' | 'message' | 'retryAt' | 'finishedAt'>;

export interface AttemptOutcome {
  status: Exclude<AttemptStatus, 'publishing'>;
  platformPostId?: string;
  url?: string;
  errorClass?: ErrorClass;
  message?: string;
  retryAt?: Date;
  finishedAt: Date;
}

interface Row {
  job_id: string;
  attempt: number;
  workspace_id: string;
  post_id: string;
  target_id: string;
  account_id: string;
  plugin_id: string | null;
  platform: string;
  fencing_token: string;
  idempotency_key: string;
  status: AttemptStatus;
  platform_post_id: string | null;
  url: string | null;
  error_class: ErrorClass | null;
  message: string | null;
  retry_at: Date | null;
  started_at: Date;
  finished_at: Date | null;
  owner: string | null;
}

/**
 * The attempts journal: one row per (job, attempt), written BEFORE the platform call, finished by a
 * conditional update that only succeeds from `publishing` with the same fencing token.
 */
export class AttemptsRepository {
  constructor(private readonly db: DataSource) {}

  async get(workspaceId: string, jobId: string, attempt: number): Promise<AttemptRecord | undefined> {
    const rows = (await this.db.query(`SELECT * FROM publisher.attempts WHERE workspace_id = $1 AND job_id = $2 AND attempt = $3`, [
      workspaceId,
      jobId,
      attempt,
    ])) as Row[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Highest fencing token and attempt number seen for the job (to drop stale dispatches). */
  async latest(workspaceId: string, jobId: string): Promise<{ attempt: number; fencingToken: number } | undefined> {
    const rows = (await this.db.query(
      `SELECT attempt, fencing_token FROM publisher.attempts WHERE workspace_id = $1 AND job_id = $2
       ORDER BY attempt DESC LIMIT 1`,
      [workspaceId, jobId],
    )) as { attempt: number; fencing_token: string }[];
    return rows[0] ? { attempt: rows[0].attempt, fencingToken: Number(rows[0].fencing_token) } : undefined;
  }

  /** How many attempts the journal holds for the job: the platform calls tried (deferrals are not attempts). */
  async count(workspaceId: string, jobId: string): Promise<number> {
    const rows = (await this.db.query(`SELECT count(*)::int AS n FROM publisher.attempts WHERE workspace_id = $1 AND job_id = $2`, [
      workspaceId,
      jobId,
    ])) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Records the attempt; false when a row for (job, attempt) already exists (another delivery owns it). */
  async start(a: NewAttempt): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO publisher.attempts (job_id, attempt, workspace_id, post_id, target_id, account_id, plugin_id, platform,
         fencing_token, idempotency_key, status, started_at, owner)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
       ON CONFLICT (job_id, attempt) DO NOTHING RETURNING job_id`,
      [a.jobId, a.attempt, a.workspaceId, a.postId, a.targetId, a.accountId, a.pluginId, a.platform, a.fencingToken,
        a.idempotencyKey, a.status, a.startedAt, a.owner],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Journals an attempt that ended before any platform call (refused, unavailable); false when it exists. */
  async startFinished(a: NewAttempt, o: AttemptOutcome): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO publisher.attempts (job_id, attempt, workspace_id, post_id, target_id, account_id, plugin_id, platform,
         fencing_token, idempotency_key, status, started_at, error_class, message, finished_at, owner)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
       ON CONFLICT (job_id, attempt) DO NOTHING RETURNING job_id`,
      [a.jobId, a.attempt, a.workspaceId, a.postId, a.targetId, a.accountId, a.pluginId, a.platform, a.fencingToken,
        a.idempotencyKey, o.status, a.startedAt, o.errorClass ?? null, o.message?.slice(0, 2000) ?? null, o.finishedAt, a.owner],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Conditional transition publishing → outcome, guarded by the fencing token; false when it did not apply. */
  async finish(workspaceId: string, jobId: string, attempt: number, fencingToken: number, o: AttemptOutcome): Promise<boolean> {
    const rows = (await this.db.query(
      `UPDATE publisher.attempts SET status = $5, platform_post_id = $6, url = $7, error_class = $8, message = $9,
         retry_at = $10, finished_at = $11
       WHERE workspace_id = $1 AND job_id = $2 AND attempt = $3 AND fencing_token = $4 AND status = 'publishing'
       RETURNING job_id`,
      [workspaceId, jobId, attempt, fencingToken, o.status, o.platformPostId ?? null, o.url ?? null, o.errorClass ?? null,
        o.message?.slice(0, 2000) ?? null, o.retryAt ?? null, o.finishedAt],
    )) as [unknown[], number] | unknown[];
    const list = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : (rows as unknown[]);
    return list.length > 0;
  }

  async listByWorkspace(workspaceId: string, limit = 100): Promise<AttemptRecord[]> {
    const rows = (await this.db.query(
      `SELECT * FROM publisher.attempts WHERE workspace_id = $1 ORDER BY started_at DESC LIMIT $2`,
      [workspaceId, limit],
    )) as Row[];
    return rows.map(toRecord);
  }
}

function toRecord(r: Row): AttemptRecord {
  return {
    jobId: r.job_id,
    attempt: r.attempt,
    workspaceId: r.workspace_id,
    postId: r.post_id,
    targetId: r.target_id,
    accountId: r.account_id,
    pluginId: r.plugin_id,
    platform: r.platform,
    fencingToken: Number(r.fencing_token),
    idempotencyKey: r.idempotency_key,
    status: r.status,
    platformPostId: r.platform_post_id,
    url: r.url,
    errorClass: r.error_class,
    message: r.message,
    retryAt: r.retry_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    owner: r.owner,
  };
}
