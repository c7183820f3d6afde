import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ConsumedRecord, ConsumerSpec, FromChild } from './consumer-protocol';
import { withTimeout } from './stats';

/**
 * A system's no-op consumer in a child process (as a publisher service would run beside the scheduler);
 * every message it consumes is handed to `sink` with the consume time taken in the child.
 */
export class RemoteConsumer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly stopped: Promise<void>,
  ) {}

  static async start(spec: ConsumerSpec, sink: (record: ConsumedRecord) => void): Promise<RemoteConsumer> {
    const child = fork(join(__dirname, 'consumer-child.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let ready!: () => void;
    let failed!: (e: Error) => void;
    const started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    const stopped = new Promise<void>((resolve) => {
      child.on('message', (m: FromChild) => {
        if (m.type === 'ready') ready();
        else if (m.type === 'failed') failed(new Error(`consumer child: ${m.error}`));
        else if (m.type === 'stopped') resolve();
        else for (const record of m.items) sink(record);
      });
      child.on('exit', (code) => {
        failed(new Error(`consumer child exited with ${code}`));
        resolve();
      });
    });
    child.send({ type: 'start', spec });
    await withTimeout(started, 60_000, `starting the ${spec.system} consumer`);
    return new RemoteConsumer(child, stopped);
  }

  /** Stops the consumer (after delivering what it consumed so far) and waits for the child to exit. */
  async stop(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'stop' });
    await withTimeout(this.stopped, 30_000, 'stopping the consumer child').catch(() => this.child.kill('SIGKILL'));
  }
}
