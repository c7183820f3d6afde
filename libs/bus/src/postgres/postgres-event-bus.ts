import { Pool } from 'pg';
import {
  STREAMS, streamForSubject, type CommandContext, type CommandDefinition, type CommandReply, type CommandRequest, type CommandResponse,
  type Envelope, type EventData, type EventDefinition, type StreamName,
} from '@sx/contracts';
import { AppError, systemClock, type Clock } from '@sx/service-kit';
import type {
  BusHealth, CommandHandler, DeadLetter, EventBus, EventHandler, PreparedEvent, PublishMeta, PublishResult, RequestOptions,
  SubscribeOptions, Subscription,
} from '../event-bus';
import { assertEnvelope, buildEnvelope, patternsOverlap, resolveSubscription, toPrepared } from '../core/envelope';
import { silentLogger, type BusLogger } from '../core/logger';
import { defaultRetryBackoff } from '../core/run-delivery';
import { systemTimers, withTimeout, type Timers } from '../core/timers';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { Batcher } from './batcher';
import { PgListener } from './pg-listener';
import { PgQueue, type OutgoingMessage, type RowRef } from './pg-queue';
import { busSchema, dropBusSchema, ensureBusSchema, patternRegex } from './pg-schema';
import { PgSubscription } from './pg-subscription';

export interface PostgresEventBusOptions {
  /** postgres:// URL; embedded mode passes its embedded PostgreSQL. */
  databaseUrl: string;
  /** Prefix of the `bus` schema (`t1a2b_` in tests, '' in production). */
  namespace?: string;
  duplicateWindowMs?: number;
  maxDeliver?: number;
  ackWaitMs?: number;
  requestTimeoutMs?: number;
  retryBackoffMs?: (deliveryCount: number) => number;
  pollIntervalMs?: number;
  /** Pool size for claims, publishes and acks (the LISTEN connection is extra). */
  poolSize?: number;
  clock?: Clock;
  timers?: Timers;
  logger?: BusLogger;
  name?: string;
}

/**
 * Embedded-mode bus with JetStream's semantics, stored in PostgreSQL: a publish returns once committed, so
 * what it accepted survives `kill -9`. Durables are queue rows claimed with FOR UPDATE SKIP LOCKED, woken by
 * LISTEN/NOTIFY; ack deletes the row, nak/working move its deadline, an expired deadline is a redelivery,
 * the last one a dead letter. Commands and `tail` stay in memory (see docs/adr/008-postgres-event-bus.md):
 * a command dies with its caller, which then never got an answer, and a tail is a live view by definition.
 */
export class PostgresEventBus implements EventBus {
  readonly durable = true;
  private readonly schema: string;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: BusLogger;
  private readonly windowMs: number;
  private readonly pool: Pool;
  private readonly queue: PgQueue;
  private readonly listener: PgListener;
  /** Commands and tails: in memory on purpose (see the class comment). */
  private readonly local: InProcessEventBus;
  private readonly subs = new Map<string, Set<PgSubscription<EventDefinition>>>();
  private readonly publishes: Batcher<OutgoingMessage, boolean>;
  private readonly acks: Batcher<RowRef, void>;
  private readonly reschedules: Batcher<RowRef & { availableAt: number }, void>;
  private starting?: Promise<void>;
  private closed = false;
  private housekeeping?: NodeJS.Timeout;

  constructor(private readonly opts: PostgresEventBusOptions) {
    this.schema = busSchema(opts.namespace ?? '');
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? systemTimers;
    this.logger = opts.logger ?? silentLogger;
    this.windowMs = opts.duplicateWindowMs ?? 120_000;
    this.pool = new Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 4, application_name: opts.name ?? 'schedulerx-bus' });
    this.pool.on('error', (e) => this.logger.warn({ err: e.message }, 'idle bus connection failed'));
    this.queue = new PgQueue(this.pool, this.schema);
    this.listener = new PgListener(opts.databaseUrl, this.schema, (consumer) => this.kickLocal(consumer), this.logger);
    this.local = new InProcessEventBus({ clock: this.clock, timers: this.timers, logger: this.logger, requestTimeoutMs: opts.requestTimeoutMs });
    this.publishes = new Batcher((items) => this.storeBatch(items));
    this.acks = new Batcher(async (refs) => {
      await this.queue.ack(refs);
      return refs.map(() => undefined);
    });
    this.reschedules = new Batcher(async (refs) => {
      await this.queue.reschedule(refs);
      return refs.map(() => undefined);
    });
  }

  async start(): Promise<void> {
    if (this.closed) throw new AppError('bus_closed', 'the event bus was closed', 503);
    this.starting ??= this.connect().catch((e: unknown) => {
      this.starting = undefined;
      this.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'postgres bus could not start');
      throw new AppError('bus_unavailable', 'the message bus (PostgreSQL queue) is unreachable', 503);
    });
    await this.starting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.starting?.catch(() => undefined);
    if (this.housekeeping) clearInterval(this.housekeeping);
    for (const set of this.subs.values()) for (const s of set) await s.stop();
    this.subs.clear();
    await this.local.close();
    await this.listener.stop();
    await this.pool.end().catch(() => undefined);
  }

  async health(): Promise<BusHealth> {
    if (this.closed) return { ok: false, driver: 'postgres', detail: 'closed' };
    try {
      await withTimeout(this.pool.query('SELECT 1'), 1_000, 'postgres did not answer within 1000 ms', this.timers);
      return { ok: true, driver: 'postgres' };
    } catch (e: unknown) {
      return { ok: false, driver: 'postgres', detail: e instanceof Error ? e.message : 'unreachable' };
    }
  }

  async publish<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): Promise<PublishResult> {
    return this.store(buildEnvelope(def, data, meta, this.clock));
  }

  prepare<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): PreparedEvent {
    return toPrepared(buildEnvelope(def, data, meta, this.clock));
  }

  async publishPrepared(event: PreparedEvent): Promise<PublishResult> {
    return this.store(event);
  }

  async publishEnvelope(envelope: Envelope): Promise<PublishResult> {
    assertEnvelope(envelope);
    return this.store(envelope);
  }

  async subscribe<D extends EventDefinition>(def: D, handler: EventHandler<EventData<D>>, opts: SubscribeOptions): Promise<Subscription> {
    await this.ready();
    const pattern = resolveSubscription(def, opts.durable, opts.subject);
    const workQueue = STREAMS[def.stream].workQueue;
    const regex = patternRegex(pattern);
    if (workQueue) {
      const clash = (await this.queue.consumers()).find((c) => c.work_queue && c.name !== opts.durable && patternsOverlap(c.pattern, pattern));
      if (clash) throw AppError.conflict('consumer_rejected', `durable ${clash.name} already consumes ${clash.pattern} from a work queue`);
    }
    const existing = await this.queue.upsertConsumer(opts.durable, pattern, regex, workQueue);
    if (existing !== pattern) throw AppError.conflict('durable_subject_conflict', `durable ${opts.durable} already consumes ${existing}`);
    const sub = new PgSubscription(def, handler, {
      durable: opts.durable, regex, workQueue,
      maxDeliver: opts.maxDeliver ?? this.opts.maxDeliver ?? 5,
      ackWaitMs: opts.ackWaitMs ?? this.opts.ackWaitMs ?? 30_000,
      concurrency: Math.max(1, opts.concurrency ?? 1),
      confirmAcks: opts.confirmAcks ?? true,
      pollIntervalMs: this.opts.pollIntervalMs ?? 1_000,
    }, {
      queue: this.queue, clock: this.clock, timers: this.timers, logger: this.logger,
      retryBackoffMs: this.opts.retryBackoffMs ?? defaultRetryBackoff,
      ack: (ref) => this.acks.add(ref),
      reschedule: (ref) => this.reschedules.add(ref),
    }) as unknown as PgSubscription<EventDefinition>;
    const set = this.subs.get(opts.durable) ?? new Set();
    set.add(sub);
    this.subs.set(opts.durable, set);
    sub.kick();
    return {
      unsubscribe: async () => {
        set.delete(sub);
        await sub.stop();
      },
    };
  }

  async tail(pattern: string, handler: (envelope: Envelope) => void): Promise<Subscription> {
    return this.local.tail(pattern, handler);
  }

  async request<D extends CommandDefinition>(
    def: D, request: CommandRequest<D>, ctx: CommandContext, opts?: RequestOptions,
  ): Promise<CommandReply<CommandResponse<D>>> {
    return this.local.request(def, request, ctx, opts);
  }

  async handle<D extends CommandDefinition>(def: D, handler: CommandHandler<D>): Promise<Subscription> {
    return this.local.handle(def, handler);
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    await this.ready();
    return (await this.queue.listDeadLetters(Math.max(0, limit))).map((r) => ({
      id: String(r.id), consumer: r.consumer, originalSubject: r.original_subject, reason: r.reason,
      deliveryCount: r.delivery_count, failedAt: new Date(r.failed_at).toISOString(), envelope: JSON.parse(r.envelope) as Envelope,
    }));
  }

  async replayDeadLetter(id: string): Promise<void> {
    await this.ready();
    const row = /^[1-9][0-9]{0,17}$/.test(id) ? await this.queue.getDeadLetter(id) : undefined;
    if (!row) throw AppError.notFound('dead letter', id);
    const envelope = { ...(JSON.parse(row.envelope) as Envelope), subject: row.original_subject };
    const stream = streamForSubject(row.original_subject);
    const workQueue = stream ? STREAMS[stream].workQueue : false;
    const consumers = await this.queue.replay(id, JSON.stringify(envelope), this.clock.nowMs(), this.schema, workQueue);
    if (!consumers) throw AppError.notFound('dead letter', id);
    for (const c of consumers) this.kickLocal(c);
  }

  /** Drops this bus's schema (tests); refuses the production namespace ''. */
  async destroyNamespace(): Promise<void> {
    await dropBusSchema(this.pool, this.schema);
  }

  private async store(event: Envelope | PreparedEvent): Promise<PublishResult> {
    await this.ready();
    const body = 'body' in event ? Buffer.from(event.body).toString('utf8') : JSON.stringify(event);
    const workQueue = STREAMS[assertStream(event.subject)].workQueue;
    const fresh = await this.publishes.add({ eventId: event.id, subject: event.subject, body, workQueue });
    // Tails see what is stored, once (a duplicate was already shown).
    if (fresh && this.hasTails()) await this.local.publishEnvelope(JSON.parse(body) as Envelope).catch(() => undefined);
    return { id: event.id, duplicate: !fresh };
  }

  private async storeBatch(items: OutgoingMessage[]): Promise<boolean[]> {
    // The same id twice in one batch: the first one is the message, the others are duplicates.
    const first = new Map<string, number>();
    items.forEach((m, i) => first.has(m.eventId) || first.set(m.eventId, i));
    const unique = [...first.values()].map((i) => items[i]);
    try {
      const { fresh, consumers } = await this.queue.publish(unique, this.clock.nowMs(), this.windowMs, this.schema);
      for (const c of consumers) this.kickLocal(c);
      return items.map((m, i) => first.get(m.eventId) === i && fresh.has(m.eventId));
    } catch (e: unknown) {
      this.logger.error({ events: items.length, err: e instanceof Error ? e.message : String(e) }, 'publish failed');
      throw new AppError('bus_unavailable', 'could not store the events on the bus', 503);
    }
  }

  private hasTails(): boolean {
    return this.local.tailCount() > 0;
  }

  private kickLocal(consumer: string): void {
    for (const s of this.subs.get(consumer) ?? []) s.kick();
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new AppError('bus_closed', 'the event bus was closed', 503);
    await this.start();
  }

  private async connect(): Promise<void> {
    if (!this.opts.databaseUrl) throw new Error('the postgres bus needs a database URL');
    await ensureBusSchema(this.pool, this.schema);
    await this.listener.start();
    await this.local.start();
    this.housekeeping = setInterval(() => {
      void this.queue.forgetExpiredIds(this.clock.nowMs()).catch(() => undefined);
    }, 60_000);
    this.housekeeping.unref();
    this.logger.info({ schema: this.schema }, 'postgres bus started');
  }
}

function assertStream(subject: string): StreamName {
  const stream = streamForSubject(subject);
  if (!stream) throw AppError.validation(`no stream stores subject "${subject}"`);
  return stream;
}
