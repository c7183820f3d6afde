import { z } from 'zod';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Envelope } from '@sx/contracts';
import type { BusLogger } from '../core/logger';
import type { DeadLetterSource } from './dead-letters';
import { safeJson } from './dead-letters';
import type { Naming } from './naming';

const advisorySchema = z.object({
  stream: z.string(),
  consumer: z.string(),
  stream_seq: z.number().int().positive(),
  deliveries: z.number().int().nonnegative(),
});

/**
 * A message whose last delivery timed out (handler hung, process died) is never redelivered and, on a
 * work-queue stream, stays stored forever. The server announces it on the MAX_DELIVERIES advisory:
 * move it to the dead-letter stream (deduped per stream/seq/consumer, so every replica may do this).
 */
export function watchMaxDeliveries(
  nc: NatsConnection,
  jsm: JetStreamManager,
  naming: Naming,
  workQueueStreams: ReadonlySet<string>,
  deadLetter: (src: DeadLetterSource) => Promise<void>,
  logger: BusLogger,
): Subscription {
  return nc.subscribe('$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.*.*', {
    callback: (err, msg) => {
      if (err) return;
      const advisory = advisorySchema.safeParse(safeJson(msg.string()));
      if (!advisory.success || !naming.ownsStream(advisory.data.stream)) return;
      void handle(advisory.data).catch((e: unknown) =>
        logger.error({ stream: advisory.data.stream, seq: advisory.data.stream_seq, err: e instanceof Error ? e.message : String(e) }, 'max-deliveries dead-lettering failed'),
      );
    },
  });

  async function handle(a: z.infer<typeof advisorySchema>): Promise<void> {
    const stored = await jsm.streams.getMessage(a.stream, { seq: a.stream_seq }).catch(() => null);
    if (!stored) return; // already removed (acked late, or another replica handled it)
    await deadLetter({
      consumer: a.consumer,
      originalSubject: naming.strip(stored.subject),
      reason: `max_deliveries_exceeded: ${a.deliveries} deliveries without ack`,
      deliveryCount: a.deliveries,
      envelope: safeJson(stored.string()) as Envelope,
      stream: a.stream,
      streamSeq: a.stream_seq,
    });
    if (workQueueStreams.has(a.stream)) await jsm.streams.deleteMessage(a.stream, a.stream_seq, false).catch(() => false);
  }
}
