import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { OutboxRelay } from '@sx/bus';
import type { PipelineWorker } from './runs/pipeline-worker';

/** Starts the outbox relay and the run workers once the bus is up; stops them first on shutdown. */
export class PipelineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly worker: PipelineWorker,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.relay.stop();
  }
}
