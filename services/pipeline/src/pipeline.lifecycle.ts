import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { OutboxRelay } from '@sx/bus';
import type { PipelineWorker } from './runs/pipeline-worker';

/**
 * Starts the outbox relay and the run workers once the bus is up; stops them before the bus and the
 * database close (beforeApplicationShutdown), so a last publish never hits a closed bus.
 */
export class PipelineLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly worker: PipelineWorker,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.relay.stop();
  }
}
