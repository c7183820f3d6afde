import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fromWireError, type PluginError, type RateLimitObservation } from '@sx/plugin-sdk';
import type { ChildToHost, PluginMethod, ResultMessage, WireCallContext } from './child/ipc-protocol';
import { PluginFaultError } from './plugin-errors';

export type FaultKind = 'crash' | 'timeout' | 'memory';

export interface PluginProcessOptions {
  pluginId: string;
  folder: string;
  entry: string;
  manifest: unknown;
  bootstrapPath: string;
  sdkEntry: string;
  memoryMb: number;
  callTimeoutMs: number;
  egressAllow: string[];
  nowMs: () => number;
  onFault: (kind: FaultKind, detail: string) => void;
  onLog: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** How often the resident memory is checked (off-heap allocations escape --max-old-space-size). */
  rssPollMs?: number;
}

export interface CallOutcome<T> {
  value: T;
  rateLimit?: RateLimitObservation;
}

interface Pending {
  resolve: (r: ResultMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const MAX_STARTUP_MS = 20_000;

/**
 * One plugin child process: scrubbed environment, heap cap, per-call timeout, RSS watchdog.
 * A hang or crash fails only the calls in flight (as outcome-unknown faults) and the next call
 * starts a fresh child.
 */
export class PluginProcess {
  private child?: ChildProcess;
  private starting?: Promise<string[]>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private rssTimer?: NodeJS.Timeout;

  constructor(private readonly o: PluginProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child and loads the plugin; resolves with load problems (empty when it is usable). */
  start(): Promise<string[]> {
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async call<T>(method: PluginMethod, ctx: WireCallContext, args: unknown[], timeoutMs = this.o.callTimeoutMs): Promise<CallOutcome<T>> {
    if (!this.child) {
      const problems = await this.start();
      if (problems.length) throw new PluginFaultError('crash', `plugin failed to load: ${problems.join('; ')}`);
    }
    const child = this.child;
    if (!child) throw new PluginFaultError('crash', 'plugin process is not running');
    const id = this.nextId++;
    const result = await new Promise<ResultMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PluginFaultError('timeout', `${method} did not answer within ${timeoutMs} ms`));
        this.fault('timeout', `${method} exceeded ${timeoutMs} ms`, child);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ t: 'call', id, method, nowMs: this.o.nowMs(), ctx, args }, (err) => {
        if (err) this.settle(id, undefined, new PluginFaultError('crash', `cannot reach the plugin: ${err.message}`));
      });
    });
    if (!result.ok) throw fromWireError(result.error) as PluginError;
    return { value: result.value as T, rateLimit: result.rateLimit };
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.detach(new PluginFaultError('crash', 'plugin host is stopping'));
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGKILL');
      });
    }
  }

  private async spawn(): Promise<string[]> {
    const child = fork(this.o.bootstrapPath, [this.o.sdkEntry], {
      cwd: this.o.folder,
      // Scrubbed: the plugin sees no secret of the host; credentials come per call.
      env: { NODE_ENV: 'production', PATH: '/usr/local/bin:/usr/bin:/bin' },
      execArgv: [`--max-old-space-size=${this.o.memoryMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    let stderrTail = '';
    child.stderr?.on('data', (c: Buffer) => (stderrTail = (stderrTail + c.toString('utf8')).slice(-2000)));
    child.on('message', (m: ChildToHost) => this.onMessage(m));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      const oom = /heap out of memory|Allocation failed/i.test(stderrTail);
      const detail = `plugin process exited (${signal ?? `code ${code}`})${oom ? ': out of memory' : ''}`;
      const hadWork = this.pending.size > 0;
      this.detach(new PluginFaultError(oom ? 'memory' : 'crash', detail));
      if (hadWork || oom) this.o.onFault(oom ? 'memory' : 'crash', detail);
    });
    child.on('error', () => undefined);
    this.watchRss(child);
    return new Promise<string[]>((resolve) => {
      const timer = setTimeout(() => {
        resolve([`plugin did not start within ${MAX_STARTUP_MS} ms`]);
        void this.stop();
      }, MAX_STARTUP_MS);
      const onReady = (m: ChildToHost) => {
        if (m.t !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onReady);
        if (m.problems.length) void this.stop();
        resolve(m.problems);
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve([`plugin process exited during start (${signal ?? `code ${code}`}): ${stderrTail.trim().split('\n').pop() ?? ''}`]);
      });
      child.send({ t: 'init', entry: this.o.entry, egressAllow: this.o.egressAllow, httpTimeoutMs: Math.min(this.o.callTimeoutMs, 30_000), manifest: this.o.manifest });
    });
  }

  private onMessage(m: ChildToHost): void {
    if (m.t === 'result') this.settle(m.id, m);
    else if (m.t === 'log') this.o.onLog(m.level, String(m.msg).slice(0, 1000), m.fields);
  }

  private settle(id: number, result?: ResultMessage, error?: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (result) p.resolve(result);
    else p.reject(error ?? new PluginFaultError('crash', 'no answer'));
  }

  /** Kills the child (it may be stuck in a synchronous loop) and reports the fault once. */
  private fault(kind: FaultKind, detail: string, child: ChildProcess): void {
    if (this.child !== child) return;
    this.detach(new PluginFaultError(kind, detail));
    child.kill('SIGKILL');
    this.o.onFault(kind, detail);
  }

  private detach(err: Error): void {
    this.child = undefined;
    if (this.rssTimer) clearInterval(this.rssTimer);
    this.rssTimer = undefined;
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, err);
  }

  private watchRss(child: ChildProcess): void {
    const limitBytes = (this.o.memoryMb * 2 + 128) * 1024 * 1024;
    const statm = `/proc/${child.pid}/statm`;
    this.rssTimer = setInterval(() => {
      readFile(statm, 'utf8').then(
        (s) => {
          const rss = Number(s.split(' ')[1]) * 4096;
          if (rss > limitBytes) this.fault('memory', `resident memory ${Math.round(rss / 1048576)} MB over the cap`, child);
        },
        () => undefined,
      );
    }, this.o.rssPollMs ?? 250);
    this.rssTimer.unref();
  }
}

const BOOTSTRAP = path.join('services', 'publisher', 'src', 'host', 'child', 'plugin-child-bootstrap.cjs');

/**
 * The child bootstrap: next to this file when running from source; from a webpack bundle (where
 * __dirname is the output folder) the checkout's copy, found upward from the bundle or the cwd.
 */
export function defaultBootstrapPath(): string {
  const beside = path.join(__dirname, 'child', 'plugin-child-bootstrap.cjs');
  if (existsSync(beside)) return beside;
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, BOOTSTRAP))) return path.join(dir, BOOTSTRAP);
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`cannot find ${BOOTSTRAP}: run the publisher from the SchedulerX checkout`);
}
