import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';

/** A separate connection for tests to look at what the server really stores. */
export class NatsInspector {
  private constructor(
    private readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
  ) {}

  static async connect(servers: string): Promise<NatsInspector> {
    const nc = await connect({ servers });
    return new NatsInspector(nc, await jetstreamManager(nc));
  }

  async streamMessages(stream: string): Promise<number> {
    return (await this.jsm.streams.info(stream)).state.messages;
  }

  async consumerBacklog(stream: string, durable: string): Promise<number> {
    const info = await this.jsm.consumers.info(stream, durable);
    return info.num_pending + info.num_ack_pending;
  }

  async streamNames(): Promise<string[]> {
    const names: string[] = [];
    for await (const name of this.jsm.streams.names()) names.push(name);
    return names;
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
