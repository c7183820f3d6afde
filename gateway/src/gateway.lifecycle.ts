import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_BUS, OutboxRelay, type EventBus } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import { JwtKeysService } from './auth/jwt-keys.service';
import { GATEWAY_SCHEMA } from './db/gateway-db';

/**
 * Start-up and shutdown of the gateway's own machinery: the JWT signing keys are loaded (or
 * created) before anything is served, and the outbox relay publishes audit events while the app runs.
 */
@Injectable()
export class GatewayLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly keys: JwtKeysService,
    @InjectDataSource(GATEWAY_SCHEMA) dataSource: DataSource,
    @Inject(EVENT_BUS) bus: EventBus,
  ) {
    this.relay = new OutboxRelay({ dataSource, schema: GATEWAY_SCHEMA, bus });
  }

  async onModuleInit(): Promise<void> {
    await this.keys.start();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
