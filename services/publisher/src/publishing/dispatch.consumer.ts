import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { OnEvent, type Delivery } from '@sx/bus';
import { DispatchRequested } from '@sx/contracts';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { PUBLISHER_LOGGER } from '../publisher.tokens';
import type { DispatchData } from './dispatch.types';
import { PublishService } from './publish.service';

/**
 * How long a dispatch may go without news from its handler before the bus hands it to another replica (or
 * to this process after a restart): short, so a publisher killed mid-burst has its dispatches taken over
 * within seconds. A handler that is still working says so with an in-progress ack every KEEP_ALIVE_MS.
 */
export const DISPATCH_ACK_WAIT_MS = 10_000;
const KEEP_ALIVE_MS = 3_000;

/**
 * Subscription options, read by BusModule at bootstrap. Acks are not confirmed
 * (docs/adr/006-unconfirmed-dispatch-acks.md): a redelivery is harmless here (see below), and
 * confirmations would double the messages per dispatch.
 */
const SUBSCRIPTION = { durable: 'publisher', subject: 'dispatch.*', concurrency: 16, ackWaitMs: DISPATCH_ACK_WAIT_MS, confirmAcks: false };

/**
 * Consumes `dispatch.*` (durable `publisher`, shared by replicas).
 * Idempotency: the attempts journal is keyed by (job, attempt) and written before the platform call;
 * a redelivery replays a finished outcome (same event id) or reconciles an unfinished one.
 */
@Injectable()
export class DispatchConsumer {
  /**
   * The longest a handling can legitimately take (publish, refresh, publish again, reconcile, publish):
   * past it the keep-alive stops, so a handler that hangs for good still loses its message to a redelivery.
   */
  private readonly maxHandlingMs: number;

  constructor(
    private readonly publisher: PublishService,
    @Inject(PUBLISHER_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxHandlingMs = 6 * config.plugins.callTimeoutMs + 5_000;
  }

  @OnEvent(DispatchRequested, SUBSCRIPTION)
  async onDispatch(delivery: Delivery<DispatchData>): Promise<void> {
    const { envelope } = delivery;
    const parsed = DispatchRequested.schema.safeParse(envelope.data);
    if (!parsed.success) {
      await delivery.term(`invalid dispatch: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return;
    }
    const stopKeepAlive = this.keepAlive(delivery);
    await this.publisher
      .process({
        workspaceId: envelope.workspaceId,
        correlationId: envelope.correlationId,
        causationId: envelope.id,
        job: parsed.data,
      })
      .catch((e: unknown) => {
        this.logger.error({ jobId: parsed.data.jobId, err: e instanceof Error ? e.message : String(e) }, 'dispatch handling failed; redelivery follows');
        throw e;
      })
      .finally(stopKeepAlive);
  }

  /** In-progress acks while the handling runs, up to maxHandlingMs; returns the stop function. */
  private keepAlive(delivery: Delivery<DispatchData>): () => void {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > this.maxHandlingMs) return clearInterval(timer);
      delivery.working().catch(() => undefined);
    }, KEEP_ALIVE_MS);
    timer.unref();
    return () => clearInterval(timer);
  }
}
