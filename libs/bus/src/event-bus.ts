import type {
  CommandContext,
  CommandDefinition,
  CommandReply,
  CommandRequest,
  CommandResponse,
  Envelope,
  EventData,
  EventDefinition,
} from '@sx/contracts';

/** Injection token for the process's one EventBus. */
export const EVENT_BUS = Symbol('EVENT_BUS');

export interface PublishMeta {
  workspaceId: string;
  correlationId: string;
  causationId?: string;
  /** Event id, also the Nats-Msg-Id used for dedupe. Generated when absent. */
  id?: string;
  /** Concrete subject when the definition's subject has wildcards (`dispatch.bluesky`). */
  subject?: string;
}

export interface PublishResult {
  id: string;
  /** True when the bus had already stored an event with this id inside the duplicate window. */
  duplicate: boolean;
}

/** One delivery of one event to a durable consumer. */
export interface Delivery<T = unknown> {
  readonly envelope: Envelope<T>;
  readonly subject: string;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  ack(): Promise<void>;
  /** Redeliver after `delayMs` (counts toward maxDeliver). */
  nak(delayMs?: number): Promise<void>;
  /** Never redeliver; the event goes to the dead-letter subject with `reason`. */
  term(reason: string): Promise<void>;
  /**
   * In-progress ack: the handler is still working, so the ack wait starts again from now (JetStream's
   * `+WPI`). Lets a consumer run with a short ack wait (fast takeover after a crash) and still finish a
   * long call. A no-op once the delivery is settled.
   */
  working(): Promise<void>;
}

export interface SubscribeOptions {
  /** Durable consumer name: one delivery per event per durable name, shared by replicas. */
  durable: string;
  /** Subject pattern; defaults to the definition's subject. */
  subject?: string;
  maxDeliver?: number;
  ackWaitMs?: number;
  /** Handlers in flight at once for this subscription. */
  concurrency?: number;
  /**
   * JetStream only. true (default): a handler's ack waits for the server's confirmation (double ack).
   * false: the ack goes out in the next coalesced socket write and is not confirmed, for handlers whose
   * redelivery is harmless by design; a lost ack means one redelivery after the ack wait.
   */
  confirmAcks?: boolean;
}

/** Returning normally acks (unless the handler already acked/naked/termed); throwing naks with backoff. */
export type EventHandler<T> = (delivery: Delivery<T>) => Promise<void>;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface DeadLetter {
  id: string;
  originalSubject: string;
  consumer: string;
  reason: string;
  deliveryCount: number;
  failedAt: string;
  envelope: Envelope;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export type CommandHandler<D extends CommandDefinition> = (
  request: CommandRequest<D>,
  ctx: CommandContext,
) => Promise<CommandReply<CommandResponse<D>>>;

export interface BusHealth {
  ok: boolean;
  driver: 'jetstream' | 'in-process' | 'postgres';
  detail?: string;
}

/**
 * An event validated and serialised by `EventBus.prepare`: `body` is the envelope's JSON in UTF-8, the
 * other fields repeat what sending needs from it. No envelope object, and the body lives outside the
 * JavaScript heap: the scheduler holds tens of thousands of these before a burst, and every object or
 * string it keeps there is copied by each young-generation collection (pauses of tens of milliseconds).
 */
export interface PreparedEvent {
  readonly id: string;
  readonly subject: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly body: Uint8Array;
}

export interface EventBus {
  /**
   * True when an accepted publish survives a `kill -9` of this process (JetStream: stored on the server;
   * Postgres: committed). False for the in-memory driver: there, "handed to the bus" is not "stored", and
   * nothing may skip its own recovery because the bus accepted a message.
   */
  readonly durable: boolean;
  start(): Promise<void>;
  close(): Promise<void>;
  health(): Promise<BusHealth>;

  publish<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): Promise<PublishResult>;
  /** Publishes an already-built envelope (the outbox relay uses this). */
  publishEnvelope(envelope: Envelope): Promise<PublishResult>;
  /**
   * Validates and serialises an event now, to publish it later with `publishPrepared` doing no more than
   * the send (the scheduler prepares dispatches ahead of their instant). Throws like `publish` on bad data.
   */
  prepare<D extends EventDefinition>(def: D, data: EventData<D>, meta: PublishMeta): PreparedEvent;
  publishPrepared(event: PreparedEvent): Promise<PublishResult>;
  /**
   * Joins (creating if needed) the durable `opts.durable`. A new durable starts with events published after
   * its creation; on a work-queue stream (DISPATCH) it also takes everything still queued. Invalid payloads
   * are dead-lettered, never handed to `handler`. 422 for a bad name/subject, 409 when the durable already
   * consumes another subject or the filter overlaps another durable on a work-queue stream.
   */
  subscribe<D extends EventDefinition>(def: D, handler: EventHandler<EventData<D>>, opts: SubscribeOptions): Promise<Subscription>;
  /** Live tail of every event matching `pattern`, from now on, no acks (SSE fan-out). */
  tail(pattern: string, handler: (envelope: Envelope) => void): Promise<Subscription>;

  request<D extends CommandDefinition>(
    def: D,
    request: CommandRequest<D>,
    ctx: CommandContext,
    opts?: RequestOptions,
  ): Promise<CommandReply<CommandResponse<D>>>;
  handle<D extends CommandDefinition>(def: D, handler: CommandHandler<D>): Promise<Subscription>;

  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Re-publishes the dead letter's envelope to its original subject and removes it from the dead-letter store. */
  replayDeadLetter(id: string): Promise<void>;
}
