import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { OnEvent, type Delivery } from '@sx/bus';
import { DispatchRequested } from '@sx/contracts';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { PUBLISHER_LOGGER } from '../publisher.tokens';
import type { DispatchData } from './dispatch.types';
import { PublishService } from './publish.service';

/**
 * Subscription options, read by BusModule at bootstrap. The ack wait is set from the configured plugin
 * call timeout when the consumer is constructed (before bootstrap): it must outlast the longest
 * handling (publish, refresh, publish again, reconcile, publish), or JetStream would redeliver a job
 * that is still being worked on. Acks are not confirmed (docs/adr/006-unconfirmed-dispatch-acks.md): a
 * redelivery is harmless here (see below), and confirmations would double the messages per dispatch.
 */
const SUBSCRIPTION = { durable: 'publisher', subject: 'dispatch.*', concurrency: 16, ackWaitMs: 6 * 30_000 + 5_000, confirmAcks: false };

/**
 * Consumes `dispatch.*` (durable `publisher`, shared by replicas).
 * Idempotency: the attempts journal is keyed by (job, attempt) and written before the platform call;
 * a redelivery replays a finished outcome (same event id) or reconciles an unfinished one.
 */
@Injectable()
export class DispatchConsumer {
  constructor(
    private readonly publisher: PublishService,
    @Inject(PUBLISHER_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    SUBSCRIPTION.ackWaitMs = 6 * config.plugins.callTimeoutMs + 5_000;
  }

  @OnEvent(DispatchRequested, SUBSCRIPTION)
  async onDispatch(delivery: Delivery<DispatchData>): Promise<void> {
    const { envelope } = delivery;
    const parsed = DispatchRequested.schema.safeParse(envelope.data);
    if (!parsed.success) {
      await delivery.term(`invalid dispatch: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return;
    }
    const decision = await this.publisher
      .process({
      workspaceId: envelope.workspaceId,
      correlationId: envelope.correlationId,
      causationId: envelope.id,
        job: parsed.data,
      })
      .catch((e: unknown) => {
        this.logger.error({ jobId: parsed.data.jobId, err: e instanceof Error ? e.message : String(e) }, 'dispatch handling failed; redelivery follows');
        throw e;
      });
    if (!decision.ack) {
      this.logger.debug({ jobId: parsed.data.jobId, delayMs: decision.delayMs }, 'dispatch delayed by the account rate limit');
      await delivery.nak(decision.delayMs);
    }
  }
}
