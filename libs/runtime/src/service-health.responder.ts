import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_BUS, type EventBus, type Subscription } from '@sx/bus';
import { SERVICE_HEALTH_COMMANDS } from '@sx/contracts';
import { HealthRegistry } from '@sx/service-kit';

export const SERVICE_NAME = Symbol('SERVICE_NAME');
type HealthService = keyof typeof SERVICE_HEALTH_COMMANDS;

/** Distributed mode: answers the gateway's `cmd.<service>.health` with this process's readiness report. */
@Injectable()
export class ServiceHealthResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const def = SERVICE_HEALTH_COMMANDS[this.service as HealthService];
    if (!def) return;
    this.subscription = await this.bus.handle(def, async () => ({ ok: true, data: await this.health.report() }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.unsubscribe();
  }
}
