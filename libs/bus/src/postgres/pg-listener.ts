import { Client } from 'pg';
import type { BusLogger } from '../core/logger';

/**
 * One connection LISTENing on the bus channel; each NOTIFY names a durable that got rows. On a lost
 * connection it reconnects after a second; meanwhile subscriptions poll, so nothing waits longer than that.
 */
export class PgListener {
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: (consumer: string) => void,
    private readonly logger: BusLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'schedulerx-bus-listen' });
    client.on('notification', (n) => {
      if (n.channel === this.channel && n.payload) this.onNotify(n.payload);
    });
    client.on('error', (e) => {
      this.logger.warn({ err: e.message }, 'bus LISTEN connection failed; reconnecting');
      this.reconnectSoon(client);
    });
    client.on('end', () => this.reconnectSoon(client));
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
  }

  private reconnectSoon(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.connect().catch((e: unknown) => {
        this.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'bus LISTEN reconnect failed');
        this.client = client; // so the next failure schedules another attempt
        this.reconnectSoon(client);
      });
    }, 1_000);
    this.retry.unref();
  }
}
