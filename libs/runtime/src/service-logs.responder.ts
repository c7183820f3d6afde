import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_BUS, type EventBus, type Subscription } from '@sx/bus';
import { SERVICE_LOGS_COMMANDS, type LoggedService } from '@sx/contracts';
import { processLogRing } from '@sx/service-kit';
import { SERVICE_NAME } from './service-health.responder';

/**
 * Distributed mode: answers the gateway's `cmd.<service>.logs` from this process's log ring. Every
 * line of the process (its bus, Nest and feature loggers) is labelled with the service's name.
 */
@Injectable()
export class ServiceLogsResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const def = SERVICE_LOGS_COMMANDS[this.service as LoggedService];
    if (!def) return;
    this.subscription = await this.bus.handle(def, async (req) => {
      const items = processLogRing.read(req).map((l) => ({ ...l, service: this.service, context: l.service === this.service ? l.context : (l.context ?? l.service) }));
      return { ok: true, data: { items, lastSeq: processLogRing.lastSeq } };
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.unsubscribe();
  }
}
