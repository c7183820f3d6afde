import { z } from 'zod';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Envelope } from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import type { DeadLetter } from '../event-bus';
import type { BusLogger } from '../core/logger';
import { DEAD_LETTER_STREAM, type Naming } from './naming';
import { isNotFound } from './stream-setup';

const storedSchema = z.object({
  originalSubject: z.string(),
  consumer: z.string(),
  reason: z.string(),
  deliveryCount: z.number(),
  failedAt: z.string(),
  envelope: z.unknown(),
});

export interface DeadLetterSource {
  consumer: string;
  originalSubject: string;
  reason: string;
  deliveryCount: number;
  envelope: Envelope;
  /** Where the failed message sits, so the same failure is recorded once however many replicas report it. */
  stream: string;
  streamSeq: number;
}

/** The DEADLETTER stream: one message per failed (message, consumer); the stream sequence is the dead letter id. */
export class JetStreamDeadLetters {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly naming: Naming,
    private readonly clock: Clock,
    private readonly logger: BusLogger,
    private readonly publishTimeoutMs: number,
  ) {}

  async record(src: DeadLetterSource): Promise<void> {
    const body = {
      originalSubject: src.originalSubject,
      consumer: src.consumer,
      reason: src.reason.slice(0, 1_000),
      deliveryCount: src.deliveryCount,
      failedAt: this.clock.now().toISOString(),
      envelope: src.envelope,
    };
    const ack = await this.js.publish(this.naming.deadLetterSubject(src.consumer), JSON.stringify(body), {
      msgID: `${src.stream}:${src.streamSeq}:${src.consumer}`,
      timeout: this.publishTimeoutMs,
    });
    if (!ack.duplicate) {
      this.logger.warn({ deadLetterId: String(ack.seq), consumer: src.consumer, eventId: src.envelope.id, reason: body.reason }, 'event dead-lettered');
    }
  }

  async list(limit: number): Promise<DeadLetter[]> {
    const stream = this.naming.stream(DEAD_LETTER_STREAM);
    const { state } = await this.jsm.streams.info(stream);
    const out: DeadLetter[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && out.length < limit && state.messages > 0; seq++) {
      const dl = await this.get(seq);
      if (dl) out.push(dl);
    }
    return out;
  }

  /** Re-publishes the original envelope to its subject under a fresh Nats-Msg-Id (a replay must not be deduped). */
  async replay(id: string, publish: (envelope: Envelope, msgId: string) => Promise<void>): Promise<void> {
    const seq = /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : NaN;
    const dl = Number.isSafeInteger(seq) ? await this.get(seq) : null;
    if (!dl) throw AppError.notFound('dead letter', id);
    await publish({ ...dl.envelope, subject: dl.originalSubject }, `${dl.envelope.id}:replay:${this.naming.stream(DEAD_LETTER_STREAM)}:${seq}`);
    await this.jsm.streams.deleteMessage(this.naming.stream(DEAD_LETTER_STREAM), seq, false);
  }

  private async get(seq: number): Promise<DeadLetter | null> {
    const msg = await this.jsm.streams.getMessage(this.naming.stream(DEAD_LETTER_STREAM), { seq }).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!msg) return null;
    const parsed = storedSchema.safeParse(safeJson(msg.string()));
    if (!parsed.success) {
      this.logger.warn({ deadLetterSeq: seq }, 'unreadable dead letter skipped');
      return null;
    }
    return { id: String(seq), ...parsed.data, envelope: parsed.data.envelope as Envelope };
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
