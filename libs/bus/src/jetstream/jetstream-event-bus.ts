import { connect } from '@nats-io/transport-node';
import { headers as natsHeaders, type NatsConnection, type Subscription as NatsSubscription } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import {
  STREAMS, envelopeSchema, type CommandContext, type CommandDefinition, type CommandReply, type CommandRequest,
  type CommandResponse, type Envelope, type EventData, type EventDefinition,
} from '@sx/contracts';
import { AppError, systemClock, type Clock } from '@sx/service-kit';
import type {
  BusHealth, CommandHandler, DeadLetter, EventBus, EventHandler, PreparedEvent, PublishMeta, PublishResult, RequestOptions,
  SubscribeOptions, Subscription,
} from '../event-bus';
import { executeCommand, serviceUnavailable } from '../core/command-runner';
import { assertEnvelope, assertPattern, buildEnvelope, resolveSubscription, toPrepared } from '../core/envelope';
import { silentLogger, type BusLogger } from '../core/logger';
import { defaultRetryBackoff } from '../core/run-delivery';
import { withTimeout } from '../core/timers';
import { JetStreamDeadLetters, safeJson } from './dead-letters';
import { DurableConsumerLoop, ensureDurable } from './durable-consumer';
import { watchMaxDeliveries } from './max-deliveries-watcher';
import { HDR_CAUSATION, HDR_CORRELATION, HDR_MSG_ID, Naming } from './naming';
import { parsePubAck } from './pub-ack';
import { ReplyInbox } from './reply-inbox';
import { ensureStreams } from './stream-setup';

export interface JetStreamEventBusOptions {
  servers: string | string[];
  /** Prefix for every stream and subject (`t8f3a_` in tests); '' in production. */
  namespace: string;
  replicas: number;
  duplicateWindowMs: number;
  maxDeliver: number;
  requestTimeoutMs: number;
  ackWaitMs?: number;
  /** Upper bound on a publish (JetStream can stall under load); default 5 s. */
  publishTimeoutMs?: number;
  retryBackoffMs?: (deliveryCount: number) => number;
  clock?: Clock;
  logger?: BusLogger;
  /** Connection name shown by the server (`nats server report connections`). */
  name?: string;
}

interface Conn {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  inbox: ReplyInbox;
  deadLetters: JetStreamDeadLetters;
}

/** EventBus over NATS JetStream (events) and core NATS request/reply (commands). */
export class JetStreamEventBus implements EventBus {
  /** Publishes return once the server stored the message (file storage, `sync_interval: always` shipped). */
  readonly durable = true;
  private readonly naming: Naming;
  private readonly clock: Clock;
  private readonly logger: BusLogger;
  private readonly publishTimeoutMs: number;
  private readonly retryBackoffMs: (deliveryCount: number) => number;
  private conn?: Conn;
  private starting?: Promise<Conn>;
  private closed = false;
  private readonly closers = new Set<() => Promise<void>>();

  constructor(private readonly opts: JetStreamEventBusOptions) {
    this.naming = new Naming(opts.namespace);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.publishTimeoutMs = opts.publishTimeoutMs ?? 5_000;
    this.retryBackoffMs = opts.retryBackoffMs ?? defaultRetryBackoff;
  }

  /** Connects and creates streams; idempotent. Every other method also starts the bus on first use. */
  async start(): Promise<void> {
    await this.ready();
  }

  async close(): Promise<void> {
    this.closed = true;
    const conn = await this.starting?.catch(() => undefined);
    this.starting = undefined;
    this.conn = undefined;
    if (!conn) return;
    // Last opened, first closed: subscriptions settle their messages before the reply inbox goes.
    for (const close of [...this.closers].reverse()) await close().catch(() => undefined);
    this.closers.clear();
    await conn.nc.drain().catch(() => conn.nc.close());
  }

  async health(): Promise<BusHealth> {
    const conn = this.conn;
    if (!conn || conn.nc.isClosed()) return { ok: false, driver: 'jetstream', detail: 'not connected' };
    try {
      await withTimeout(conn.nc.flush(), 1_000, 'nats did not answer a ping within 1000 ms');
      return { ok: true, driver: 'jetstream' };
    } catch (e: unknown) {
      return { ok: false, driver: 'jetstream', detail: e instanceof Error ? e.message : 'unreachable' };
    }
  }

  async publish<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): Promise<PublishResult> {
    const envelope = buildEnvelope(def, data, meta, this.clock); // validated while built
    return this.publishWire(envelope, envelope.id);
  }

  prepare<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): PreparedEvent {
    return toPrepared(buildEnvelope(def, data, meta, this.clock));
  }

  async publishPrepared(event: PreparedEvent): Promise<PublishResult> {
    return this.publishWire(event, event.id);
  }

  async publishEnvelope(envelope: Envelope): Promise<PublishResult> {
    assertEnvelope(envelope);
    return this.publishWire(envelope, envelope.id);
  }

  async subscribe<D extends EventDefinition>(def: D, handler: EventHandler<EventData<D>>, opts: SubscribeOptions): Promise<Subscription> {
    const conn = await this.ready();
    const pattern = resolveSubscription(def, opts.durable, opts.subject);
    const streamName = def.stream;
    const spec = {
      stream: this.naming.stream(streamName),
      durable: opts.durable,
      pattern,
      workQueue: STREAMS[streamName].workQueue,
      maxDeliver: opts.maxDeliver ?? this.opts.maxDeliver,
      ackWaitMs: opts.ackWaitMs ?? this.opts.ackWaitMs ?? 30_000,
      concurrency: Math.max(1, opts.concurrency ?? 1),
      confirmAcks: opts.confirmAcks ?? true,
    };
    await ensureDurable(conn.jsm, this.naming, spec);
    const loop = new DurableConsumerLoop(def, handler, spec, {
      js: conn.js, jsm: conn.jsm, inbox: conn.inbox, naming: this.naming, logger: this.logger, ackTimeoutMs: this.publishTimeoutMs,
      retryBackoffMs: this.retryBackoffMs, deadLetter: (src) => conn.deadLetters.record(src),
    });
    await loop.start();
    return this.track(() => loop.stop());
  }

  async tail(pattern: string, handler: (envelope: Envelope) => void): Promise<Subscription> {
    assertPattern(pattern);
    const sub = (await this.ready()).nc.subscribe(this.naming.subject(pattern), {
      callback: (err, msg) => {
        if (err) return;
        const parsed = envelopeSchema.safeParse(safeJson(msg.string()));
        if (!parsed.success) return this.logger.warn({ subject: msg.subject }, 'tail skipped a malformed envelope');
        try {
          handler(parsed.data);
        } catch (e: unknown) {
          this.logger.warn({ pattern, err: e instanceof Error ? e.message : String(e) }, 'tail handler threw');
        }
      },
    });
    return this.trackNats(sub);
  }

  async request<D extends CommandDefinition>(
    def: D, request: CommandRequest<D>, ctx: CommandContext, opts: RequestOptions = {},
  ): Promise<CommandReply<CommandResponse<D>>> {
    const timeoutMs = opts.timeoutMs ?? this.opts.requestTimeoutMs;
    const h = natsHeaders();
    h.set(HDR_CORRELATION, ctx.correlationId);
    try {
      const reply = await (await this.ready()).nc.request(this.naming.subject(def.subject), JSON.stringify({ request, ctx }), { timeout: timeoutMs, headers: h });
      return JSON.parse(reply.string()) as CommandReply<CommandResponse<D>>;
    } catch {
      return serviceUnavailable(def, timeoutMs);
    }
  }

  async handle<D extends CommandDefinition>(def: D, handler: CommandHandler<D>): Promise<Subscription> {
    const conn = await this.ready();
    const sub = conn.nc.subscribe(this.naming.subject(def.subject), {
      queue: this.naming.subject(def.service),
      callback: (err, msg) => {
        if (err) return;
        void executeCommand(def, handler, safeJson(msg.string()), this.logger).then((reply) => msg.respond(JSON.stringify(reply)));
      },
    });
    // Make sure the server knows the subscription before callers are told it exists.
    await conn.nc.flush();
    return this.trackNats(sub);
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    return (await this.ready()).deadLetters.list(Math.max(0, limit));
  }

  async replayDeadLetter(id: string): Promise<void> {
    await (await this.ready()).deadLetters.replay(id, async (envelope, msgId) => {
      await this.publishWire(envelope, msgId);
    });
  }

  /** Deletes every stream of this bus's namespace (tests); refuses the production namespace ''. */
  async destroyNamespace(): Promise<void> {
    if (this.opts.namespace === '') throw new AppError('forbidden', 'refusing to delete the production streams', 403);
    const { jsm } = await this.ready();
    for (const s of this.naming.allStreams()) await jsm.streams.delete(s.name).catch(() => false);
  }

  private async publishWire(envelope: Envelope | PreparedEvent, msgId: string): Promise<PublishResult> {
    const body = 'body' in envelope ? envelope.body : JSON.stringify(envelope);
    const { inbox } = await this.ready();
    const h = natsHeaders();
    h.set(HDR_MSG_ID, msgId);
    h.set(HDR_CORRELATION, envelope.correlationId);
    if (envelope.causationId) h.set(HDR_CAUSATION, envelope.causationId);
    try {
      const reply = await inbox.request(this.naming.subject(envelope.subject), body, this.publishTimeoutMs, h);
      return { id: envelope.id, duplicate: parsePubAck(reply).duplicate };
    } catch (e: unknown) {
      this.logger.error({ eventId: envelope.id, subject: envelope.subject, err: e instanceof Error ? e.message : String(e) }, 'publish failed');
      throw new AppError('bus_unavailable', `could not publish ${envelope.subject}`, 503);
    }
  }

  private ready(): Promise<Conn> {
    if (this.closed) return Promise.reject(new AppError('bus_closed', 'the event bus was closed', 503));
    this.starting ??= this.connect().catch((e: unknown) => {
      this.starting = undefined;
      this.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'jetstream bus could not start');
      throw new AppError('bus_unavailable', 'the message bus (NATS JetStream) is unreachable', 503);
    });
    return this.starting;
  }

  private async connect(): Promise<Conn> {
    // noAsyncTraces: no stack captured per request (a measurable cost at thousands of requests per second).
    const nc = await connect({ servers: this.opts.servers, timeout: 5_000, name: this.opts.name ?? 'schedulerx', maxReconnectAttempts: -1, noAsyncTraces: true });
    try {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc, { timeout: this.publishTimeoutMs });
      await ensureStreams(jsm, this.naming, { replicas: this.opts.replicas, duplicateWindowMs: this.opts.duplicateWindowMs }, this.logger);
      const deadLetters = new JetStreamDeadLetters(js, jsm, this.naming, this.clock, this.logger, this.publishTimeoutMs);
      const workQueues = new Set(this.naming.allStreams().filter((s) => s.workQueue).map((s) => s.name));
      const watcher = watchMaxDeliveries(nc, jsm, this.naming, workQueues, (src) => deadLetters.record(src), this.logger);
      this.closers.add(async () => watcher.unsubscribe());
      this.logger.info({ namespace: this.opts.namespace, replicas: this.opts.replicas }, 'jetstream bus started');
      const inbox = new ReplyInbox(nc);
      this.closers.add(async () => inbox.close());
      this.conn = { nc, js, jsm, inbox, deadLetters };
      return this.conn;
    } catch (e: unknown) {
      await nc.close();
      throw e;
    }
  }

  private trackNats(sub: NatsSubscription): Subscription {
    return this.track(async () => sub.unsubscribe());
  }

  private track(stop: () => Promise<void>): Subscription {
    const closer = async () => {
      this.closers.delete(closer);
      await stop();
    };
    this.closers.add(closer);
    return { unsubscribe: closer };
  }
}
