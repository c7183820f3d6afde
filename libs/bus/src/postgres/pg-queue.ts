import type { Pool } from 'pg';

/** A message to store: the envelope's JSON and where it goes. */
export interface OutgoingMessage {
  eventId: string;
  subject: string;
  body: string;
  workQueue: boolean;
}

export interface ClaimedRow {
  id: string;
  subject: string;
  body: string;
  deliveryCount: number;
}

/** One claimed delivery, fenced by its delivery count: a late settle of an older delivery changes nothing. */
export interface RowRef {
  id: string;
  deliveryCount: number;
}

export interface DeadLetterRow {
  id: string;
  consumer: string;
  original_subject: string;
  reason: string;
  delivery_count: number;
  failed_at: Date;
  envelope: string;
}

/** The Postgres driver's SQL, one statement per call (batches use unnest). */
export class PgQueue {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  /**
   * Stores a batch in one statement: dedupe by event id (a row expired out of the window counts as new),
   * one queue row per matching durable, the backlog for an unconsumed work-queue subject, and a NOTIFY per
   * durable that got rows. Returns the event ids that were new.
   */
  async publish(messages: OutgoingMessage[], nowMs: number, windowMs: number, channel: string): Promise<{ fresh: Set<string>; consumers: string[] }> {
    const { rows } = await this.pool.query<{ fresh: string[]; consumers: string[] }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[]) WITH ORDINALITY AS t(event_id, subject, body, work_queue, ord)),
       d AS (
         INSERT INTO ${this.s}.dedupe (event_id, expires_at) SELECT event_id, $5 FROM input
         ON CONFLICT (event_id) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE ${this.s}.dedupe.expires_at <= $6
         RETURNING event_id),
       fresh AS (SELECT i.* FROM input i JOIN d ON d.event_id = i.event_id),
       routed AS (SELECT f.ord, f.event_id, f.subject, f.body, c.name FROM fresh f JOIN ${this.s}.consumers c ON f.subject ~ c.regex),
       ins AS (
         INSERT INTO ${this.s}.queue (consumer, subject, body, available_at)
         SELECT name, subject, body, $6 FROM routed ORDER BY ord RETURNING consumer),
       bl AS (
         INSERT INTO ${this.s}.backlog (subject, body)
         SELECT subject, body FROM fresh f WHERE f.work_queue AND NOT EXISTS (SELECT 1 FROM routed r WHERE r.ord = f.ord)
         ORDER BY ord RETURNING 1),
       targets AS (SELECT DISTINCT consumer FROM ins),
       n AS (SELECT pg_notify($7, consumer) FROM targets)
       SELECT array(SELECT event_id FROM d) AS fresh, array(SELECT consumer FROM targets) AS consumers, (SELECT count(*) FROM n) AS notified`,
      [
        messages.map((m) => m.eventId), messages.map((m) => m.subject), messages.map((m) => m.body), messages.map((m) => m.workQueue),
        nowMs + windowMs, nowMs, channel,
      ],
    );
    return { fresh: new Set(rows[0].fresh), consumers: rows[0].consumers };
  }

  /** Registers a durable; returns the pattern it already consumes when it existed. */
  async upsertConsumer(name: string, pattern: string, regex: string, workQueue: boolean): Promise<string> {
    const { rows } = await this.pool.query<{ pattern: string }>(
      `INSERT INTO ${this.s}.consumers (name, pattern, regex, work_queue) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING pattern`,
      [name, pattern, regex, workQueue],
    );
    return rows[0].pattern;
  }

  async consumers(): Promise<{ name: string; pattern: string; work_queue: boolean }[]> {
    return (await this.pool.query<{ name: string; pattern: string; work_queue: boolean }>(`SELECT name, pattern, work_queue FROM ${this.s}.consumers`)).rows;
  }

  /** Hands work-queue messages that waited for a consumer to this durable; returns how many. */
  async adoptBacklog(consumer: string, regex: string, nowMs: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `WITH b AS (DELETE FROM ${this.s}.backlog WHERE subject ~ $2 RETURNING id, subject, body)
       INSERT INTO ${this.s}.queue (consumer, subject, body, available_at) SELECT $1, subject, body, $3 FROM b ORDER BY id`,
      [consumer, regex, nowMs],
    );
    return rowCount ?? 0;
  }

  /**
   * Claims up to `limit` available rows (SKIP LOCKED: competing claimers never get the same row) and
   * pushes each one's deadline to now + ack wait. Rows on their last delivery are left to `expire`.
   */
  async claim(consumer: string, nowMs: number, maxDeliver: number, limit: number, ackWaitMs: number): Promise<ClaimedRow[]> {
    const { rows } = await this.pool.query<{ id: string; subject: string; body: string; delivery_count: number }>(
      `WITH c AS (
         SELECT id FROM ${this.s}.queue WHERE consumer = $1 AND available_at <= $2 AND delivery_count < $3
         ORDER BY available_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
       UPDATE ${this.s}.queue q SET delivery_count = q.delivery_count + 1, available_at = $5
       FROM c WHERE q.id = c.id RETURNING q.id, q.subject, q.body, q.delivery_count`,
      [consumer, nowMs, maxDeliver, limit, nowMs + ackWaitMs],
    );
    return rows
      .map((r) => ({ id: r.id, subject: r.subject, body: r.body, deliveryCount: r.delivery_count }))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /** When the next row of this durable becomes available (nak delay, ack-wait deadline), or null. */
  async nextAvailableAt(consumer: string, nowMs: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ at: string | null }>(
      `SELECT min(available_at)::text AS at FROM ${this.s}.queue WHERE consumer = $1 AND available_at > $2`,
      [consumer, nowMs],
    );
    return rows[0].at === null ? null : Number(rows[0].at);
  }

  /** Dead-letters rows whose last delivery ran out of ack wait (handler hung, process killed). */
  async expire(consumer: string, nowMs: number, maxDeliver: number, failedAt: Date): Promise<number> {
    const { rowCount } = await this.pool.query(
      `WITH d AS (
         DELETE FROM ${this.s}.queue WHERE consumer = $1 AND available_at <= $2 AND delivery_count >= $3
         RETURNING id, consumer, subject, body, delivery_count)
       INSERT INTO ${this.s}.dead_letters (consumer, original_subject, reason, delivery_count, failed_at, envelope)
       SELECT consumer, subject, 'max_deliveries_exceeded: ' || delivery_count || ' deliveries without ack', delivery_count, $4, body
       FROM d ORDER BY id`,
      [consumer, nowMs, maxDeliver, failedAt],
    );
    return rowCount ?? 0;
  }

  async ack(refs: RowRef[]): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.s}.queue q USING unnest($1::bigint[], $2::int[]) AS a(id, dc) WHERE q.id = a.id AND q.delivery_count = a.dc`,
      [refs.map((r) => r.id), refs.map((r) => r.deliveryCount)],
    );
  }

  /** Moves each row's deadline: a nak's redelivery instant, or a new ack-wait deadline for `working()`. */
  async reschedule(refs: (RowRef & { availableAt: number })[]): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.queue q SET available_at = a.at
       FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS a(id, dc, at) WHERE q.id = a.id AND q.delivery_count = a.dc`,
      [refs.map((r) => r.id), refs.map((r) => r.deliveryCount), refs.map((r) => r.availableAt)],
    );
  }

  async deadLetter(ref: RowRef, reason: string, envelope: string, failedAt: Date): Promise<void> {
    await this.pool.query(
      `WITH d AS (DELETE FROM ${this.s}.queue WHERE id = $1 AND delivery_count = $2 RETURNING consumer, subject, delivery_count)
       INSERT INTO ${this.s}.dead_letters (consumer, original_subject, reason, delivery_count, failed_at, envelope)
       SELECT consumer, subject, $3, delivery_count, $4, $5 FROM d`,
      [ref.id, ref.deliveryCount, reason.slice(0, 1_000), failedAt, envelope],
    );
  }

  async listDeadLetters(limit: number): Promise<DeadLetterRow[]> {
    return (await this.pool.query<DeadLetterRow>(`SELECT * FROM ${this.s}.dead_letters ORDER BY id LIMIT $1`, [limit])).rows;
  }

  /**
   * Removes the dead letter and re-routes its envelope to every durable of the original subject (like a
   * re-publish, bypassing dedupe); returns the durables that got it, or null when there is no such id.
   */
  async replay(id: string, body: string, nowMs: number, channel: string, workQueue: boolean): Promise<string[] | null> {
    const { rows } = await this.pool.query<{ found: boolean; consumers: string[] }>(
      `WITH d AS (DELETE FROM ${this.s}.dead_letters WHERE id = $1 RETURNING original_subject),
       routed AS (SELECT c.name, d.original_subject FROM d JOIN ${this.s}.consumers c ON d.original_subject ~ c.regex),
       ins AS (INSERT INTO ${this.s}.queue (consumer, subject, body, available_at) SELECT name, original_subject, $2, $3 FROM routed RETURNING consumer),
       bl AS (INSERT INTO ${this.s}.backlog (subject, body) SELECT original_subject, $2 FROM d WHERE $5 AND NOT EXISTS (SELECT 1 FROM routed) RETURNING 1),
       n AS (SELECT pg_notify($4, consumer) FROM (SELECT DISTINCT consumer FROM ins) x)
       SELECT EXISTS (SELECT 1 FROM d) AS found, array(SELECT DISTINCT consumer FROM ins) AS consumers, (SELECT count(*) FROM n) AS notified`,
      [id, body, nowMs, channel, workQueue],
    );
    return rows[0].found ? rows[0].consumers : null;
  }

  async getDeadLetter(id: string): Promise<DeadLetterRow | undefined> {
    return (await this.pool.query<DeadLetterRow>(`SELECT * FROM ${this.s}.dead_letters WHERE id = $1`, [id])).rows[0];
  }

  async forgetExpiredIds(nowMs: number): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.dedupe WHERE expires_at <= $1`, [nowMs]);
  }
}
