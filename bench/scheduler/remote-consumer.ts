import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ConsumedRecord, ConsumerSpec, FromChild } from './consumer-protocol';
import { withTimeout } from './stats';

type Sink = (record: ConsumedRecord) => void;

/**
 * The consumer child process (as a publisher service would run beside the scheduler). It lives across
 * runs; each run starts one system's no-op consumer in it and hands every consumed message to `sink`,
 * with the consume time taken in the child.
 */
export class RemoteConsumer {
  private sink?: Sink;
  private waiting?: { type: 'ready' | 'stopped'; resolve: () => void; reject: (e: Error) => void };
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromChild) => this.onMessage(m));
    child.on('exit', (code) => {
      this.exited = true;
      this.waiting?.reject(new Error(`consumer child exited with ${code}`));
    });
  }

  static spawn(): RemoteConsumer {
    return new RemoteConsumer(fork(join(__dirname, 'consumer-child.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  /** Starts `spec`'s consumer in the child; resolves once it is consuming. */
  async start(spec: ConsumerSpec, sink: Sink): Promise<void> {
    this.sink = sink;
    await withTimeout(this.expect('ready', () => this.child.send({ type: 'start', spec })), 60_000, `starting the ${spec.system} consumer`);
  }

  /** Stops the running consumer after delivering what it consumed so far; the child stays up. */
  async stop(): Promise<void> {
    if (this.exited) return;
    await withTimeout(this.expect('stopped', () => this.child.send({ type: 'stop' })), 30_000, 'stopping the consumer');
    this.sink = undefined;
  }

  close(): void {
    if (!this.exited && this.child.connected) this.child.disconnect();
  }

  private expect(type: 'ready' | 'stopped', send: () => void): Promise<void> {
    if (this.exited) return Promise.reject(new Error('consumer child is gone'));
    return new Promise<void>((resolve, reject) => {
      this.waiting = { type, resolve, reject };
      send();
    });
  }

  private onMessage(m: FromChild): void {
    if (m.type === 'records') {
      for (const record of m.items) this.sink?.(record);
      return;
    }
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    if (m.type === 'failed') w.reject(new Error(`consumer child: ${m.error}`));
    else if (m.type === w.type) w.resolve();
  }
}
