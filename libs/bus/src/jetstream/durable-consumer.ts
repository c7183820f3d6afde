import { nanos } from '@nats-io/nats-core';
import { AckPolicy, DeliverPolicy, type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { EventData, EventDefinition } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import type { EventHandler } from '../event-bus';
import type { BusLogger } from '../core/logger';
import { runDelivery } from '../core/run-delivery';
import { withTimeout } from '../core/timers';
import type { DeadLetterSource } from './dead-letters';
import { safeJson } from './dead-letters';
import type { Naming } from './naming';
import type { ReplyInbox } from './reply-inbox';
import { isNotFound } from './stream-setup';

/**
 * How long an ack may wait for others to go out in the same socket write. A handler's result is not
 * held up (the slot stays taken a little longer), and at a steady trickle of messages this turns one
 * write per message into one per few milliseconds, for this process and for the server.
 */
const ACK_LINGER_MS = 4;

const ACK = '+ACK';

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  /** Bus-level subject pattern (no namespace). */
  pattern: string;
  workQueue: boolean;
  maxDeliver: number;
  ackWaitMs: number;
  concurrency: number;
  /** See SubscribeOptions.confirmAcks; dead-lettering acks are always confirmed. */
  confirmAcks: boolean;
}

export interface ConsumerDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  inbox: ReplyInbox;
  naming: Naming;
  logger: BusLogger;
  ackTimeoutMs: number;
  retryBackoffMs: (deliveryCount: number) => number;
  deadLetter: (src: DeadLetterSource) => Promise<void>;
}

/**
 * Creates (or updates) the durable and pulls from it. New durables on history streams start at new
 * messages; on work-queue streams they take everything still queued.
 */
export async function ensureDurable(jsm: JetStreamManager, naming: Naming, spec: DurableConsumerSpec): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    filter_subject: naming.subject(spec.pattern),
    deliver_policy: spec.workQueue ? DeliverPolicy.All : DeliverPolicy.New,
    max_ack_pending: 1_000,
  };
  const existing = await jsm.consumers.info(spec.stream, spec.durable).catch((e: unknown) => {
    if (isNotFound(e)) return null;
    throw e;
  });
  if (!existing) {
    await jsm.consumers.add(spec.stream, config).catch((e: unknown) => {
      // nats-server refuses overlapping filters on a work-queue stream (each message has one owner).
      const message = e instanceof Error ? e.message : String(e);
      throw AppError.conflict('consumer_rejected', `durable ${spec.durable} on ${spec.pattern} was refused: ${message}`);
    });
    return;
  }
  const c = existing.config;
  if (c.filter_subject !== config.filter_subject) {
    // nats-server 2.9 cannot change a durable's filter in place.
    throw AppError.conflict('durable_subject_conflict', `durable ${spec.durable} already consumes ${naming.strip(c.filter_subject ?? '>')}`);
  }
  if (c.max_deliver !== config.max_deliver || c.ack_wait !== config.ack_wait) {
    await jsm.consumers.update(spec.stream, spec.durable, { max_deliver: config.max_deliver, ack_wait: config.ack_wait });
  }
}

/** Pull loop for one subscription; several loops (in one or many processes) compete on the same durable. */
export class DurableConsumerLoop<D extends EventDefinition> {
  private messages?: ConsumerMessages;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private slotFreed?: () => void;

  constructor(
    private readonly def: D,
    private readonly handler: EventHandler<EventData<D>>,
    private readonly spec: DurableConsumerSpec,
    private readonly deps: ConsumerDeps,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.deps.js.consumers.get(this.spec.stream, this.spec.durable);
    this.messages = await consumer.consume({ max_messages: this.spec.concurrency });
    void this.loop(this.messages);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close();
    // A hung handler must not hold shutdown forever: after ack wait the server redelivers elsewhere anyway.
    await withTimeout(Promise.allSettled([...this.inFlight]), this.spec.ackWaitMs, 'handlers still running').catch(() => undefined);
  }

  private async loop(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) {
        if (this.stopped) {
          msg.nak();
          continue;
        }
        const p = this.process(msg).finally(() => {
          this.inFlight.delete(p);
          this.slotFreed?.();
        });
        this.inFlight.add(p);
        // At the limit, wait for any handler to finish (one shared waiter, not a race over every handler).
        while (this.inFlight.size >= this.spec.concurrency) await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = undefined;
      }
    } catch (e: unknown) {
      if (!this.stopped) this.deps.logger.error({ consumer: this.spec.durable, err: e instanceof Error ? e.message : String(e) }, 'consumer loop ended');
    }
  }

  /**
   * Double ack: the ack carries a reply subject and the server confirms it; once confirmed, this message
   * will not come back. Sent through the shared reply inbox rather than `msg.ackAck()` (see ReplyInbox).
   */
  private async confirmedAck(msg: JsMsg): Promise<void> {
    const reply = ackSubject(msg);
    if (!reply) {
      await msg.ackAck({ timeout: this.deps.ackTimeoutMs });
      return;
    }
    await this.deps.inbox.request(reply, ACK, this.deps.ackTimeoutMs, undefined, this.ackLingerMs());
  }

  /**
   * Unconfirmed ack in the inbox's next coalesced write. Not `msg.ack()`: nats.js writes each publish of
   * a microtask run on its own, so acks of messages handled one by one cost a socket write each, for this
   * process and for the server.
   */
  private async plainAck(msg: JsMsg): Promise<void> {
    const reply = ackSubject(msg);
    if (reply) this.deps.inbox.send(reply, ACK, this.ackLingerMs());
    else msg.ack();
  }

  /** With handlers running side by side, acks wait a moment to share a socket write (see ACK_LINGER_MS). */
  private ackLingerMs(): number {
    return this.spec.concurrency > 1 ? ACK_LINGER_MS : 0;
  }

  private async process(msg: JsMsg): Promise<void> {
    const { naming, logger } = this.deps;
    const subject = naming.strip(msg.subject);
    const { deliveryCount, streamSequence } = msg.info;
    try {
      await runDelivery(
        this.def,
        safeJson(msg.string()),
        {
          subject,
          deliveryCount,
          maxDeliver: this.spec.maxDeliver,
          ack: () => (this.spec.confirmAcks ? this.confirmedAck(msg) : this.plainAck(msg)),
          nak: async (delayMs) => msg.nak(delayMs),
          working: async () => msg.working(),
          deadLetter: async (reason, envelope) => {
            await withTimeout(
              this.deps.deadLetter({
                consumer: this.spec.durable, originalSubject: subject, reason, deliveryCount, envelope,
                stream: this.spec.stream, streamSeq: streamSequence,
              }),
              this.deps.ackTimeoutMs,
              'dead-letter publish timed out',
            );
            await this.confirmedAck(msg);
          },
        },
        this.handler,
        { consumer: this.spec.durable, logger, retryBackoffMs: this.deps.retryBackoffMs },
      );
    } catch (e: unknown) {
      // Ack/dead-letter could not be confirmed (server busy or gone): the server redelivers after ack wait.
      logger.error({ consumer: this.spec.durable, streamSeq: streamSequence, err: e instanceof Error ? e.message : String(e) }, 'could not settle message');
    }
  }
}

/** The ack subject, which nats.js keeps on its message class (`reply`) without declaring it on JsMsg. */
function ackSubject(msg: JsMsg): string | undefined {
  const reply = (msg as JsMsg & { reply?: unknown }).reply;
  return typeof reply === 'string' && reply !== '' ? reply : undefined;
}
