import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Consumption } from './collector';
import type { ConsumerSpec, FromChild } from './consumer-protocol';
import { withTimeout } from './stats';

type Reply = Extract<FromChild, { type: 'ready' | 'stopped' }>;

/**
 * The consumer child process (as a publisher service would run beside the scheduler). It lives across
 * runs; each run starts one system's no-op consumer in it, which records lateness there (see
 * consumer-child.ts) and hands back a summary when stopped.
 */
export class RemoteConsumer {
  private waiting?: { type: Reply['type']; resolve: (m: Reply) => void; reject: (e: Error) => void };
  private onComplete?: () => void;
  private completed = false;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromChild) => this.onMessage(m));
    child.on('exit', (code) => {
      this.exited = true;
      this.waiting?.reject(new Error(`consumer child exited with ${code}`));
    });
  }

  static spawn(): RemoteConsumer {
    // The child keeps this process's loader flags but not its tuning (that is the scheduler's).
    const execArgv = [...process.execArgv.filter((a) => !isTuningFlag(a)), ...consumerNodeFlags()];
    return new RemoteConsumer(fork(join(__dirname, 'consumer-child.ts'), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  /**
   * Starts `spec`'s consumer in the child, counting `expected` distinct jobs tagged `tag` (or, without
   * one, nothing until setTag); resolves once it is consuming.
   */
  async start(spec: ConsumerSpec, expected: number, tag?: string): Promise<void> {
    this.completed = false;
    await withTimeout(this.expect('ready', () => this.child.send({ type: 'start', spec, expected, tag })), 60_000, `starting the ${spec.system} consumer`);
  }

  /** From now on, messages tagged `tag` count. */
  setTag(tag: string): void {
    this.child.send({ type: 'tag', tag });
  }

  /** Waits until every expected job was consumed or `deadlineMs` (epoch) passed. */
  async waitComplete(deadlineMs: number): Promise<void> {
    if (this.completed) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.onComplete = resolve;
      timer = setTimeout(resolve, Math.max(0, deadlineMs - Date.now()));
    });
    clearTimeout(timer);
    this.onComplete = undefined;
  }

  /** Stops the running consumer; resolves with what it consumed. The child stays up. */
  async stop(): Promise<Consumption> {
    if (this.exited) throw new Error('consumer child is gone');
    const reply = await withTimeout(this.expect('stopped', () => this.child.send({ type: 'stop' })), 30_000, 'stopping the consumer');
    if (reply.type !== 'stopped' || !reply.consumption) throw new Error('the consumer child reported no consumption');
    return reply.consumption;
  }

  close(): void {
    if (!this.exited && this.child.connected) this.child.disconnect();
  }

  private expect(type: Reply['type'], send: () => void): Promise<Reply> {
    if (this.exited) return Promise.reject(new Error('consumer child is gone'));
    return new Promise<Reply>((resolve, reject) => {
      this.waiting = { type, resolve, reject };
      send();
    });
  }

  private onMessage(m: FromChild): void {
    if (m.type === 'complete') {
      this.completed = true;
      this.onComplete?.();
      return;
    }
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    if (m.type === 'failed') w.reject(new Error(`consumer child: ${m.error}`));
    else if (m.type === w.type) w.resolve(m);
  }
}

/** A V8 memory-tuning flag (as listed in tools/service-node-flags.cjs). */
export function isTuningFlag(arg: string): boolean {
  return /^--(max-|min-|heap-)/.test(arg);
}

/** The publisher service's V8 flags (tools/service-node-flags.cjs, passed on by `npm run bench:*`). */
export function consumerNodeFlags(): string[] {
  return (process.env['SX_BENCH_CONSUMER_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
}
