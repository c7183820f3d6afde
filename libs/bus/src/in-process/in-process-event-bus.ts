import {
  STREAMS,
  subjectMatches,
  type CommandContext,
  type CommandDefinition,
  type CommandReply,
  type CommandRequest,
  type CommandResponse,
  type Envelope,
  type EventData,
  type EventDefinition,
} from '@sx/contracts';
import { AppError, systemClock, type Clock } from '@sx/service-kit';
import type {
  BusHealth, CommandHandler, DeadLetter, EventBus, EventHandler, PreparedEvent, PublishMeta, PublishResult,
  RequestOptions, SubscribeOptions, Subscription,
} from '../event-bus';
import { executeCommand, serviceUnavailable } from '../core/command-runner';
import { assertEnvelope, assertPattern, buildEnvelope, patternsOverlap, resolveSubscription, toPrepared } from '../core/envelope';
import { silentLogger, type BusLogger } from '../core/logger';
import { defaultRetryBackoff } from '../core/run-delivery';
import { systemTimers, withTimeout, type Timers } from '../core/timers';
import { DurableGroup, type Member, type PendingMessage } from './durable-group';

export interface InProcessEventBusOptions {
  clock?: Clock;
  timers?: Timers;
  logger?: BusLogger;
  duplicateWindowMs?: number;
  maxDeliver?: number;
  ackWaitMs?: number;
  requestTimeoutMs?: number;
  retryBackoffMs?: (deliveryCount: number) => number;
}

type AnyCommandHandler = (raw: unknown) => Promise<CommandReply<unknown>>;

/**
 * Embedded-mode bus with JetStream's semantics in memory: dedupe by event id within a window, durable
 * groups with competing members, ack/nak(delay)/term, maxDeliver then dead letter, request/reply, tail.
 * Durables receive what is published after they are created; work-queue streams (DISPATCH) also keep
 * messages nobody consumes yet and hand them to the first matching durable.
 */
export class InProcessEventBus implements EventBus {
  /** Everything lives in this process's memory: a crash loses what was accepted and not yet handled. */
  readonly durable: boolean = false;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: BusLogger;
  private readonly duplicateWindowMs: number;
  private readonly maxDeliver: number;
  private readonly ackWaitMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retryBackoffMs: (deliveryCount: number) => number;
  private readonly seen = new Map<string, number>();
  private readonly groups = new Map<string, DurableGroup>();
  private readonly workQueueBacklog: PendingMessage[] = [];
  private readonly tails = new Set<{ pattern: string; handler: (e: Envelope) => void }>();
  private readonly commandHandlers = new Map<string, AnyCommandHandler[]>();
  private readonly deadLetters = new Map<string, DeadLetter>();
  private deadLetterSeq = 0;
  private state: 'new' | 'started' | 'closed' = 'new';

  constructor(opts: InProcessEventBusOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? systemTimers;
    this.logger = opts.logger ?? silentLogger;
    this.duplicateWindowMs = opts.duplicateWindowMs ?? 120_000;
    this.maxDeliver = opts.maxDeliver ?? 5;
    this.ackWaitMs = opts.ackWaitMs ?? 30_000;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 5_000;
    this.retryBackoffMs = opts.retryBackoffMs ?? defaultRetryBackoff;
  }

  async start(): Promise<void> {
    if (this.state === 'closed') throw new AppError('bus_closed', 'the event bus was closed', 503);
    this.state = 'started';
  }

  async close(): Promise<void> {
    this.state = 'closed';
    for (const g of this.groups.values()) g.close();
  }

  async health(): Promise<BusHealth> {
    return this.state === 'closed'
      ? { ok: false, driver: 'in-process', detail: 'closed' }
      : { ok: true, driver: 'in-process' };
  }

  async publish<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): Promise<PublishResult> {
    return this.publishEnvelope(buildEnvelope(def, data, meta, this.clock));
  }

  prepare<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): PreparedEvent {
    return toPrepared(buildEnvelope(def, data, meta, this.clock));
  }

  async publishPrepared(event: PreparedEvent): Promise<PublishResult> {
    return this.publishEnvelope(JSON.parse(new TextDecoder().decode(event.body)) as Envelope);
  }

  async publishEnvelope(envelope: Envelope): Promise<PublishResult> {
    this.assertOpen();
    assertEnvelope(envelope);
    const now = this.clock.nowMs();
    this.forgetExpired(now);
    if (this.seen.has(envelope.id)) return { id: envelope.id, duplicate: true };
    this.seen.set(envelope.id, now + this.duplicateWindowMs);
    this.route(envelope);
    return { id: envelope.id, duplicate: false };
  }

  async subscribe<D extends EventDefinition>(
    def: D,
    handler: EventHandler<EventData<D>>,
    opts: SubscribeOptions,
  ): Promise<Subscription> {
    this.assertOpen();
    const pattern = resolveSubscription(def, opts.durable, opts.subject);
    const group = this.groupFor(opts.durable, pattern, opts);
    const member: Member = {
      def,
      handler: handler as EventHandler<unknown>,
      concurrency: Math.max(1, opts.concurrency ?? 1),
      inFlight: 0,
      active: true,
    };
    group.addMember(member);
    return { unsubscribe: async () => group.removeMember(member) };
  }

  /** Live tails registered (the Postgres driver skips the copy for tails when there are none). */
  tailCount(): number {
    return this.tails.size;
  }

  async tail(pattern: string, handler: (envelope: Envelope) => void): Promise<Subscription> {
    this.assertOpen();
    assertPattern(pattern);
    const entry = { pattern, handler };
    this.tails.add(entry);
    return { unsubscribe: async () => void this.tails.delete(entry) };
  }

  async request<D extends CommandDefinition>(
    def: D,
    request: CommandRequest<D>,
    ctx: CommandContext,
    opts: RequestOptions = {},
  ): Promise<CommandReply<CommandResponse<D>>> {
    this.assertOpen();
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    const handlers = this.commandHandlers.get(def.subject) ?? [];
    if (handlers.length === 0) return serviceUnavailable(def, timeoutMs);
    // Round robin like a queue group; the request crosses a JSON boundary like it would on the wire.
    const handler = handlers[0];
    handlers.push(handlers.shift() as AnyCommandHandler);
    const raw: unknown = JSON.parse(JSON.stringify({ request, ctx }));
    try {
      const reply = await withTimeout(handler(raw), timeoutMs, 'timeout', this.timers);
      return JSON.parse(JSON.stringify(reply)) as CommandReply<CommandResponse<D>>;
    } catch {
      return serviceUnavailable(def, timeoutMs);
    }
  }

  async handle<D extends CommandDefinition>(def: D, handler: CommandHandler<D>): Promise<Subscription> {
    this.assertOpen();
    const run: AnyCommandHandler = (raw) => executeCommand(def, handler, raw, this.logger);
    const list = this.commandHandlers.get(def.subject) ?? [];
    list.push(run);
    this.commandHandlers.set(def.subject, list);
    return {
      unsubscribe: async () => {
        const i = list.indexOf(run);
        if (i >= 0) list.splice(i, 1);
      },
    };
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    return [...this.deadLetters.values()].slice(0, Math.max(0, limit)).map((d) => structuredClone(d));
  }

  async replayDeadLetter(id: string): Promise<void> {
    this.assertOpen();
    const dl = this.deadLetters.get(id);
    if (!dl) throw AppError.notFound('dead letter', id);
    this.deadLetters.delete(id);
    // A replay is deliberate: it bypasses dedupe so the same event id reaches consumers again.
    this.route({ ...dl.envelope, subject: dl.originalSubject });
  }

  private route(envelope: Envelope): void {
    const raw: unknown = JSON.parse(JSON.stringify(envelope));
    const subject = envelope.subject;
    for (const t of this.tails) {
      if (!subjectMatches(t.pattern, subject)) continue;
      try {
        t.handler(JSON.parse(JSON.stringify(envelope)) as Envelope);
      } catch (e: unknown) {
        this.logger.warn({ pattern: t.pattern, err: e instanceof Error ? e.message : String(e) }, 'tail handler threw');
      }
    }
    const matching = [...this.groups.values()].filter((g) => g.matches(subject));
    for (const g of matching) g.enqueue({ raw: structuredClone(raw), subject, deliveryCount: 0 });
    if (matching.length === 0 && isWorkQueue(subject)) this.workQueueBacklog.push({ raw, subject, deliveryCount: 0 });
  }

  private groupFor(durable: string, pattern: string, opts: SubscribeOptions): DurableGroup {
    const existing = this.groups.get(durable);
    if (existing) {
      if (existing.settings.pattern !== pattern) {
        throw AppError.conflict('durable_subject_conflict', `durable ${durable} already consumes ${existing.settings.pattern}`);
      }
      return existing;
    }
    // Like JetStream: on a work-queue stream each message belongs to one durable, so filters must not overlap.
    if (isWorkQueue(pattern)) {
      const clash = [...this.groups.values()].find((g) => isWorkQueue(g.settings.pattern) && patternsOverlap(g.settings.pattern, pattern));
      if (clash) throw AppError.conflict('consumer_rejected', `durable ${clash.settings.name} already consumes ${clash.settings.pattern} from a work queue`);
    }
    const group = new DurableGroup({
      name: durable,
      pattern,
      maxDeliver: opts.maxDeliver ?? this.maxDeliver,
      ackWaitMs: opts.ackWaitMs ?? this.ackWaitMs,
      timers: this.timers,
      logger: this.logger,
      retryBackoffMs: this.retryBackoffMs,
      deadLetter: (consumer, subject, reason, deliveryCount, envelope) =>
        this.storeDeadLetter({ consumer, originalSubject: subject, reason, deliveryCount, envelope }),
    });
    this.groups.set(durable, group);
    for (let i = 0; i < this.workQueueBacklog.length; ) {
      if (group.matches(this.workQueueBacklog[i].subject)) group.enqueue(this.workQueueBacklog.splice(i, 1)[0]);
      else i++;
    }
    return group;
  }

  private storeDeadLetter(dl: Omit<DeadLetter, 'id' | 'failedAt'>): void {
    const id = `dl-${++this.deadLetterSeq}`;
    this.deadLetters.set(id, { ...dl, id, failedAt: this.clock.now().toISOString() });
    this.logger.warn({ deadLetterId: id, consumer: dl.consumer, eventId: dl.envelope.id, reason: dl.reason }, 'event dead-lettered');
  }

  private forgetExpired(now: number): void {
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt > now) break; // insertion order == expiry order
      this.seen.delete(id);
    }
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new AppError('bus_closed', 'the event bus was closed', 503);
  }
}

function isWorkQueue(subject: string): boolean {
  const first = subject.split('.')[0];
  return Object.values(STREAMS).some((s) => s.workQueue && s.subjects.some((p) => p.split('.')[0] === first));
}
