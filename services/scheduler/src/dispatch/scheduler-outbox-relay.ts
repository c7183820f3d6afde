import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_BUS, OutboxRelay, type EventBus } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';

/** Publishes the scheduler's outbox (post.scheduled, alert.raised) with the shared relay. */
@Injectable()
export class SchedulerOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(@InjectDataSource('scheduler') db: DataSource, @Inject(EVENT_BUS) bus: EventBus) {
    this.relay = new OutboxRelay({ dataSource: db, schema: 'scheduler', bus });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
