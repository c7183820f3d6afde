import type { CatchUp } from '../schedules/schedule.types';
import { ownerAliveSql } from '@sx/persistence';
import { rows, type JobKind, type Sql } from '../db/rows';
import { JOB_LIFECYCLE, sqlStates } from '../jobs/job-lifecycle';

// The dispatcher's transitions (JOB_LIFECYCLE), inlined as literals: these statements' plans rely on
// literal predicates that match the partial indexes.
const CLAIM = JOB_LIFECYCLE.claim;
const DISPATCH = JOB_LIFECYCLE.dispatch;
const SKIP = JOB_LIFECYCLE.skipLate;
const PIPELINE_DONE = JOB_LIFECYCLE.completePipeline;

/** A job this replica holds under lease, as armed in the timer heap. */
export interface ClaimedJob {
  id: string;
  workspaceId: string;
  fireAt: number;
  dueAt: number;
  token: string;
  attempt: number;
  catchUp: CatchUp;
  /** When this replica's lease on the job runs out (epoch ms), as last claimed or renewed. */
  leaseUntil: number;
}

/** A job just moved to `dispatched`, with what the dispatch message needs. */
export interface FiredJob {
  id: string;
  workspace_id: string;
  schedule_id: string;
  post_id: string | null;
  target_id: string | null;
  account_id: string | null;
  platform: string;
  kind: JobKind;
  due_at: Date;
  attempt: number;
  fencing_token: string;
  title: string | null;
  text: string | null;
  hashtags: string[] | null;
  media_ids: string[] | null;
  overrides: Record<string, Record<string, unknown>> | null;
  action: Record<string, unknown>;
}

export interface SkippedJob {
  id: string;
  workspace_id: string;
  schedule_id: string;
  post_id: string | null;
  target_id: string | null;
  account_id: string | null;
  platform: string;
  attempt: number;
}

interface ClaimRow {
  id: string;
  workspace_id: string;
  fire_ms: number;
  due_ms: number;
  fencing_token: string;
  attempt: number;
  catch_up: CatchUp;
}

// Instants as epoch ms (float8, parsed as a number): a claim returns thousands of rows, and parsing
// timestamps into Date objects was a visible share of the dispatcher's CPU and garbage.
const CLAIM_RETURNING = `RETURNING j.id, j.workspace_id, floor(extract(epoch FROM j.fire_at) * 1000)::float8 AS fire_ms,
  floor(extract(epoch FROM j.due_at) * 1000)::float8 AS due_ms, j.fencing_token, j.attempt,
  (SELECT s.catch_up FROM scheduler.schedules s WHERE s.id = j.schedule_id) AS catch_up`;

/** A `publishing` job with no publisher recorded (rows from before publishers named themselves) counts as abandoned after this. */
export const ORPHAN_PUBLISHING_MS = 10 * 60_000;

function toClaimed(r: ClaimRow, leaseUntil: number): ClaimedJob {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    fireAt: r.fire_ms,
    dueAt: r.due_ms,
    token: String(r.fencing_token),
    attempt: r.attempt,
    catchUp: r.catch_up,
    leaseUntil,
  };
}

/**
 * The dispatcher's SQL. These are the only queries that span workspaces: the dispatcher serves every
 * tenant, and every row it writes keeps its own workspace_id. Every write after a claim is fenced:
 * `fencing_token = $token AND state = 'armed'`, so a replica whose lease was taken over writes nothing.
 */
export class DispatchRepository {
  constructor(private readonly db: Sql) {}

  /** Claims due-within-horizon jobs and jobs whose holder's lease ran out, bumping the fencing token. */
  async claim(owner: string, nowMs: number, horizonMs: number, leaseMs: number, limit: number): Promise<ClaimedJob[]> {
    const now = new Date(nowMs);
    const leaseUntil = new Date(nowMs + leaseMs);
    const due = await rows<ClaimRow>(
      this.db,
      `WITH c AS (
         SELECT id FROM scheduler.publish_jobs
         WHERE state IN (${sqlStates(CLAIM.from)}) AND fire_at <= $1
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE scheduler.publish_jobs j
       SET state = '${CLAIM.to}', lease_owner = $3, lease_expires_at = $4, fencing_token = j.fencing_token + 1, updated_at = $5
       FROM c WHERE j.id = c.id ${CLAIM_RETURNING}`,
      [new Date(nowMs + horizonMs), limit, owner, leaseUntil, now],
    );
    const orphaned = await rows<ClaimRow>(
      this.db,
      `WITH c AS (
         SELECT id FROM scheduler.publish_jobs
         WHERE state = '${CLAIM.to}' AND lease_expires_at < $1
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE scheduler.publish_jobs j
       SET lease_owner = $3, lease_expires_at = $4, fencing_token = j.fencing_token + 1, updated_at = $1
       FROM c WHERE j.id = c.id ${CLAIM_RETURNING}`,
      [now, limit, owner, leaseUntil],
    );
    return [...due, ...orphaned].map((r) => toClaimed(r, leaseUntil.getTime()));
  }

  /** Extends the lease on jobs still held; returns the ids actually renewed (the others were lost). */
  async renew(owner: string, jobs: { id: string; token: string }[], nowMs: number, leaseMs: number): Promise<Set<string>> {
    if (jobs.length === 0) return new Set();
    const renewed = await rows<{ id: string }>(
      this.db,
      `UPDATE scheduler.publish_jobs j SET lease_expires_at = $4, updated_at = $5
       WHERE j.id = ANY($1::uuid[]) AND (j.id::text || ':' || j.fencing_token::text) = ANY($2::text[])
         AND (j.state || '') = '${CLAIM.to}' AND j.lease_owner = $3
       RETURNING j.id`,
      [jobs.map((j) => j.id), jobs.map((j) => `${j.id}:${j.token}`), owner, new Date(nowMs + leaseMs), new Date(nowMs)],
    );
    return new Set(renewed.map((r) => r.id));
  }

  /**
   * Fenced transition armed -> dispatched (attempt + 1), with its history row, in one statement.
   * The dispatched row doubles as the dispatch outbox: see DispatchEngine for why. It may run shortly
   * before the job's instant, so `fired_at` is never earlier than `fire_at`: the unacked sweep, which
   * keys on `fired_at` age, can then never publish an occurrence ahead of its time.
   */
  async markDispatched(owner: string, jobs: { id: string; token: string }[], nowMs: number): Promise<FiredJob[]> {
    if (jobs.length === 0) return [];
    return rows<FiredJob>(
      this.db,
      `WITH f AS (
         UPDATE scheduler.publish_jobs j
         SET state = '${DISPATCH.to}', attempt = j.attempt + 1, fired_at = GREATEST($4, j.fire_at), dispatch_acked_at = NULL,
             lease_owner = $3, lease_expires_at = NULL, publisher_owner = NULL, updated_at = $4
         -- Primary-key lookups (id = ANY), the fencing token checked per row through 'id:token' keys. No join
         -- with unnest() and the state test written as an expression, both on purpose: right after a large
         -- claim the partial lease index's statistics lag (estimated 1 row, actually every armed job) and
         -- the planner then scanned all armed jobs, or the unnest()ed list, once per job of the batch.
         WHERE j.id = ANY($1::uuid[]) AND (j.id::text || ':' || j.fencing_token::text) = ANY($2::text[])
           AND (j.state || '') = '${DISPATCH.from[0]}' AND j.lease_owner = $3
         RETURNING j.*),
       h AS (
         INSERT INTO scheduler.job_executions (workspace_id, job_id, schedule_id, post_id, at, from_state, to_state, attempt, detail)
         SELECT workspace_id, id, schedule_id, post_id, $4, '${DISPATCH.from[0]}', '${DISPATCH.to}', attempt, NULL FROM f)
       SELECT f.id, f.workspace_id, f.schedule_id, f.post_id, f.target_id, f.account_id, f.platform, f.kind, f.due_at,
              f.attempt, f.fencing_token, p.title, p.text, p.hashtags, p.media_ids, p.overrides, s.action
       FROM f JOIN scheduler.schedules s ON s.id = f.schedule_id LEFT JOIN scheduler.posts p ON p.id = f.post_id`,
      [jobs.map((j) => j.id), jobs.map((j) => `${j.id}:${j.token}`), owner, new Date(nowMs)],
    );
  }

  /** Fenced armed -> cancelled for occurrences the catch-up policy skips; the reason stays on the job. */
  async markSkipped(owner: string, job: { id: string; token: string }, reason: string, nowMs: number): Promise<SkippedJob | undefined> {
    const [done] = await rows<SkippedJob>(
      this.db,
      `WITH f AS (
         UPDATE scheduler.publish_jobs j SET state = '${SKIP.to}', reason = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = $5
         WHERE j.id = $1 AND j.fencing_token = $2 AND j.state = '${SKIP.from[0]}' AND j.lease_owner = $3 RETURNING j.*),
       h AS (
         INSERT INTO scheduler.job_executions (workspace_id, job_id, schedule_id, post_id, at, from_state, to_state, attempt, detail)
         SELECT workspace_id, id, schedule_id, post_id, $5, '${SKIP.from[0]}', '${SKIP.to}', attempt, $4 FROM f)
       SELECT id, workspace_id, schedule_id, post_id, target_id, account_id, platform, attempt FROM f`,
      [job.id, job.token, owner, reason, new Date(nowMs)],
    );
    return done;
  }

  /** Records that JetStream stored the dispatch message of this attempt. */
  async markAcked(jobs: { id: string; attempt: number }[], nowMs: number): Promise<void> {
    if (jobs.length === 0) return;
    await this.db.query(
      // Primary-key lookups with 'id:attempt' keys, no join on unnest(): see markDispatched.
      `UPDATE scheduler.publish_jobs j SET dispatch_acked_at = $3
       WHERE j.id = ANY($1::uuid[]) AND (j.id::text || ':' || j.attempt::text) = ANY($2::text[]) AND j.dispatch_acked_at IS NULL`,
      [jobs.map((j) => j.id), jobs.map((j) => `${j.id}:${j.attempt}`), new Date(nowMs)],
    );
  }

  /**
   * Armed jobs whose holder is dead (its liveness lock is free: killed, crashed, disconnected), taken over at
   * once instead of when the lease runs out; the fencing token is bumped as in any claim.
   */
  async claimFromDead(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<ClaimedJob[]> {
    const leaseUntil = new Date(nowMs + leaseMs);
    const taken = await rows<ClaimRow>(
      this.db,
      `WITH c AS (
         SELECT id FROM scheduler.publish_jobs j
         WHERE state = '${CLAIM.to}' AND lease_owner <> $3 AND NOT ${ownerAliveSql('scheduler', 'j.lease_owner')}
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE scheduler.publish_jobs j
       SET lease_owner = $3, lease_expires_at = $4, fencing_token = j.fencing_token + 1, updated_at = $1
       FROM c WHERE j.id = c.id ${CLAIM_RETURNING}`,
      [new Date(nowMs), limit, owner, leaseUntil],
    );
    return taken.map((r) => toClaimed(r, leaseUntil.getTime()));
  }

  /**
   * In-flight jobs nobody is moving on, re-dispatched as the SAME attempt (same message id, same fencing
   * token): the publisher's attempts journal then publishes one that was never recorded, reconciles one
   * whose attempt has no outcome (or reports it `unknown`), and replays a finished one's outcome. Each row
   * is marked with `owner`, so a live replica's re-dispatch is not repeated by the others:
   * - dispatched and never acknowledged by the bus for `unackedAgeMs` (a publish that failed);
   * - dispatched by a scheduler that is dead, unless a durable bus stored the message (it still delivers it);
   * - publishing under a publisher that is dead (no outcome will come from it), not already re-dispatched by a
   *   live scheduler; one with no publisher recorded counts as dead after ORPHAN_PUBLISHING_MS.
   */
  async stranded(owner: string, nowMs: number, o: { durableBus: boolean; unackedAgeMs: number; limit: number }): Promise<FiredJob[]> {
    const schedulerGone = `(j.lease_owner IS NULL OR NOT ${ownerAliveSql('scheduler', 'j.lease_owner')})`;
    const publisherGone = `(CASE WHEN j.publisher_owner IS NULL THEN j.updated_at < $5 ELSE NOT ${ownerAliveSql('publisher', 'j.publisher_owner')} END)`;
    return rows<FiredJob>(
      this.db,
      `WITH c AS (
         SELECT id FROM scheduler.publish_jobs j
         WHERE j.state IN ('dispatched', 'publishing') AND j.fire_at <= $1 AND (
           (j.state = 'dispatched' AND j.dispatch_acked_at IS NULL AND j.fired_at < $2)
           OR (j.state = 'dispatched' AND (j.dispatch_acked_at IS NULL OR NOT $3::boolean) AND ${schedulerGone})
           OR (j.state = 'publishing' AND ${publisherGone} AND ${schedulerGone}))
         ORDER BY j.fire_at LIMIT $4 FOR UPDATE SKIP LOCKED),
       f AS (UPDATE scheduler.publish_jobs j SET lease_owner = $6, dispatch_acked_at = NULL FROM c WHERE j.id = c.id RETURNING j.*)
       SELECT f.id, f.workspace_id, f.schedule_id, f.post_id, f.target_id, f.account_id, f.platform, f.kind, f.due_at,
              f.attempt, f.fencing_token, p.title, p.text, p.hashtags, p.media_ids, p.overrides, s.action
       FROM f JOIN scheduler.schedules s ON s.id = f.schedule_id LEFT JOIN scheduler.posts p ON p.id = f.post_id`,
      [new Date(nowMs), new Date(nowMs - o.unackedAgeMs), o.durableBus, o.limit, new Date(nowMs - ORPHAN_PUBLISHING_MS), owner],
    );
  }

  /** A pipeline run has no platform outcome: once its request is stored on the bus the job is done. */
  async completePipelineJobs(ids: string[], nowMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `WITH f AS (
         UPDATE scheduler.publish_jobs SET state = '${PIPELINE_DONE.to}', published_at = $2, reason = 'pipeline run requested', updated_at = $2
         WHERE id = ANY($1::uuid[]) AND state = '${PIPELINE_DONE.from[0]}' AND kind = 'pipeline' RETURNING *)
       INSERT INTO scheduler.job_executions (workspace_id, job_id, schedule_id, post_id, at, from_state, to_state, attempt, detail)
       SELECT workspace_id, id, schedule_id, post_id, $2, '${PIPELINE_DONE.from[0]}', '${PIPELINE_DONE.to}', attempt, 'pipeline run requested' FROM f`,
      [ids, new Date(nowMs)],
    );
  }
}
