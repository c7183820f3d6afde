import type { DataSource, QueryRunner } from 'typeorm';
import { envelopeSchema, type Envelope } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import type { EventBus } from '../event-bus';
import { silentLogger, type BusLogger } from '../core/logger';
import { systemTimers, type TimerHandle, type Timers } from '../core/timers';
import { assertSchemaName, outboxChannel } from './outbox.migration';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  schema: string;
  bus: EventBus;
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (missed while reconnecting, other writers). */
  pollIntervalMs?: number;
  /** LISTEN for the append's NOTIFY to publish within milliseconds; default true. */
  listen?: boolean;
  timers?: Timers;
  logger?: BusLogger;
  /** Seam for tests and metrics: runs after each publish, inside the batch transaction. */
  afterPublish?: (envelope: Envelope) => Promise<void>;
}

interface NotifyingClient {
  on(event: 'notification', fn: (n: { channel: string }) => void): void;
  removeListener(event: 'notification', fn: (n: { channel: string }) => void): void;
}

interface OutboxRow {
  seq: string;
  event_id: string;
  envelope: unknown;
}

/**
 * Publishes outbox rows in batches: claims unpublished rows with FOR UPDATE SKIP LOCKED (replicas
 * share the work), publishes each with Nats-Msg-Id = event id, marks them published in the same
 * transaction. A crash after publishing but before commit republishes the rows, and the bus dedupe
 * drops the copies, so nothing is lost or delivered twice.
 */
export class OutboxRelay {
  private readonly schema: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly timers: Timers;
  private readonly logger: BusLogger;
  private timer?: TimerHandle;
  private listener?: { qr: QueryRunner; client: NotifyingClient; fn: (n: { channel: string }) => void };
  private running?: Promise<void>;
  private rerun = false;
  private stopped = true;
  /** Set by stop(): ends a drain early. A relay used only through drain()/relayBatch() never sets it. */
  private stopRequested = false;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.schema = assertSchemaName(opts.schema);
    this.batchSize = opts.batchSize ?? 100;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1_000;
    this.timers = opts.timers ?? systemTimers;
    this.logger = opts.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopRequested = false;
    if (this.opts.listen ?? true) await this.listen();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) this.timers.clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      listener.client.removeListener('notification', listener.fn);
      await listener.qr.query(`UNLISTEN "${outboxChannel(this.schema)}"`).catch(() => undefined);
      await listener.qr.release();
    }
  }

  /** Publishes one batch; returns how many rows it marked published. */
  async relayBatch(): Promise<number> {
    const s = this.schema;
    return this.opts.dataSource.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT seq, event_id, envelope FROM "${s}"."outbox" WHERE published_at IS NULL AND failed_at IS NULL
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      )) as OutboxRow[];
      const done: string[] = [];
      for (const row of rows) {
        const parsed = envelopeSchema.safeParse(row.envelope);
        try {
          if (!parsed.success) throw AppError.validation('stored envelope is malformed');
          await this.opts.bus.publishEnvelope(parsed.data);
        } catch (e: unknown) {
          const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
          if (e instanceof AppError && e.status < 500) {
            // Can never succeed: park it for a person instead of blocking every later event.
            this.logger.error({ eventId: row.event_id, err: message }, 'outbox row cannot be published; parked');
            await m.query(`UPDATE "${s}"."outbox" SET failed_at = now(), attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [row.seq, message]);
            continue;
          }
          this.logger.warn({ eventId: row.event_id, err: message }, 'outbox publish failed; will retry');
          await m.query(`UPDATE "${s}"."outbox" SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [row.seq, message]);
          // Stop at the first transient failure so later events do not overtake it.
          break;
        }
        await this.opts.afterPublish?.(parsed.data);
        done.push(row.seq);
      }
      if (done.length > 0) {
        await m.query(`UPDATE "${s}"."outbox" SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [done]);
      }
      return done.length;
    });
  }

  /** Publishes until the outbox is empty (or a batch stalls on a failure). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.relayBatch();
      total += n;
      if (n < this.batchSize || this.stopRequested) return total;
    }
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.running = this.drain()
      .then(() => undefined, (e: unknown) => this.logger.error({ schema: this.schema, err: e instanceof Error ? e.message : String(e) }, 'outbox relay batch failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.rerun) {
          this.rerun = false;
          this.kick();
          return;
        }
        this.timer = this.timers.setTimeout(() => this.kick(), this.pollIntervalMs);
      });
  }

  private async listen(): Promise<void> {
    const qr = this.opts.dataSource.createQueryRunner();
    // A dedicated pooled connection holds the LISTEN for the relay's lifetime.
    const client = (await qr.connect()) as NotifyingClient;
    const fn = (n: { channel: string }) => {
      if (n.channel === outboxChannel(this.schema)) this.kick();
    };
    client.on('notification', fn);
    await qr.query(`LISTEN "${outboxChannel(this.schema)}"`);
    this.listener = { qr, client, fn };
  }
}
