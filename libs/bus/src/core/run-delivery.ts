import { randomUUID } from 'node:crypto';
import { envelopeSchema, type Envelope, type EventData, type EventDefinition } from '@sx/contracts';
import { runWithCorrelation } from '@sx/service-kit';
import type { Delivery, EventHandler } from '../event-bus';
import { checkIncoming } from './envelope';
import type { BusLogger } from './logger';

/** What a driver offers for one received message. `deadLetter` must also remove the message from redelivery. */
export interface DeliveryControls {
  readonly subject: string;
  readonly deliveryCount: number;
  readonly maxDeliver: number;
  ack(): Promise<void>;
  nak(delayMs: number): Promise<void>;
  /** Restarts the ack wait of this delivery (in-progress ack). */
  working(): Promise<void>;
  deadLetter(reason: string, envelope: Envelope): Promise<void>;
}

export interface RunDeliveryOptions {
  consumer: string;
  logger: BusLogger;
  /** Delay before redelivering after the handler threw, by delivery count (1 = first). */
  retryBackoffMs: (deliveryCount: number) => number;
}

/** Default backoff after a throwing handler: 1 s, 2 s, 4 s ... capped at 60 s. */
export const defaultRetryBackoff = (deliveryCount: number): number => Math.min(60_000, 1_000 * 2 ** (deliveryCount - 1));

/**
 * The one place both drivers run a handler: validate (invalid -> dead letter), run inside the event's
 * correlation scope, ack on return, nak with backoff on throw, dead-letter a nak on the last allowed delivery.
 */
export async function runDelivery<D extends EventDefinition>(
  def: D,
  raw: unknown,
  controls: DeliveryControls,
  handler: EventHandler<EventData<D>>,
  opts: RunDeliveryOptions,
): Promise<void> {
  const check = checkIncoming(def, raw);
  if (!check.ok) {
    opts.logger.warn({ consumer: opts.consumer, subject: controls.subject, reason: check.reason }, 'dead-lettering invalid event');
    await controls.deadLetter(check.reason, bestEffortEnvelope(raw, controls.subject));
    return;
  }
  const envelope = check.envelope;
  let settled = false;
  const settle = async (fn: () => Promise<void>): Promise<void> => {
    if (settled) return;
    settled = true;
    await fn();
  };
  const nak = (delayMs: number) =>
    settle(() =>
      controls.deliveryCount >= controls.maxDeliver
        ? controls.deadLetter(`max_deliveries_exceeded: ${controls.deliveryCount} of ${controls.maxDeliver}`, envelope)
        : controls.nak(delayMs),
    );
  const delivery: Delivery<EventData<D>> = {
    envelope,
    subject: controls.subject,
    deliveryCount: controls.deliveryCount,
    ack: () => settle(() => controls.ack()),
    nak: (delayMs = 0) => nak(Math.max(0, delayMs)),
    term: (reason: string) => settle(() => controls.deadLetter(`terminated: ${reason}`, envelope)),
    working: () => (settled ? Promise.resolve() : controls.working()),
  };
  await runWithCorrelation(envelope.correlationId, async () => {
    try {
      await handler(delivery);
      await delivery.ack();
    } catch (e: unknown) {
      opts.logger.warn(
        { consumer: opts.consumer, eventId: envelope.id, deliveryCount: controls.deliveryCount, err: e instanceof Error ? e.message : String(e) },
        'event handler failed; will retry',
      );
      await nak(opts.retryBackoffMs(controls.deliveryCount));
    }
  });
}

/** Keeps as much of an invalid message as possible so a person can inspect it. */
function bestEffortEnvelope(raw: unknown, subject: string): Envelope {
  const parsed = envelopeSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v.length > 0 ? v : fallback);
  return {
    id: str(obj['id'], `invalid-${randomUUID()}`),
    subject: str(obj['subject'], subject),
    version: typeof obj['version'] === 'number' ? obj['version'] : 0,
    occurredAt: str(obj['occurredAt'], new Date(0).toISOString()),
    workspaceId: str(obj['workspaceId'], 'unknown'),
    correlationId: str(obj['correlationId'], 'unknown'),
    data: 'data' in obj ? obj['data'] : raw,
  };
}
