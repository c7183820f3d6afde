import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { sleep } from './net';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Resolves when the process serves (health URL answers, port open, ...). */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** How this process is crashed: kill -9 by default; Postgres uses `pg_ctl stop -m immediate`. */
  crash?: (p: ManagedProcess) => Promise<void>;
}

/**
 * One process of the product or of its infrastructure that the harness started itself. Every signal goes to
 * this child's own pid (never by name); its output is appended to `<name>.log` in the run's folder.
 */
export class ManagedProcess {
  child?: ChildProcess;
  private log: WriteStream;
  private exited = true;
  starts = 0;

  constructor(readonly spec: ProcessSpec, logFile: string) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child?.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  async start(): Promise<void> {
    const s = this.spec;
    this.log.write(`\n=== start #${++this.starts} at ${new Date().toISOString()} ===\n`);
    const opts: SpawnOptions = { cwd: s.cwd, env: s.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], uid: s.uid, gid: s.gid };
    const child = spawn(s.command, s.args, opts);
    this.child = child;
    this.exited = false;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      this.exited = true;
      this.log.write(`=== exit code=${code} signal=${signal} at ${new Date().toISOString()} ===\n`);
    });
    const until = Date.now() + (s.readyTimeoutMs ?? 120_000);
    while (!(await s.ready().catch(() => false))) {
      if (this.exited) throw new Error(`${s.name} exited during start (see ${s.name}.log)`);
      if (Date.now() > until) throw new Error(`${s.name} not ready after ${s.readyTimeoutMs ?? 120_000} ms`);
      await sleep(200);
    }
  }

  /** The fault: kill -9 (or the spec's own crash) and wait until it is gone. */
  async crash(): Promise<void> {
    if (this.spec.crash) return this.spec.crash(this);
    this.signal('SIGKILL');
    await this.waitExit(10_000);
  }

  signal(sig: NodeJS.Signals): void {
    if (this.child?.pid && !this.exited) process.kill(this.child.pid, sig);
  }

  async waitExit(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.exited && Date.now() < until) await sleep(50);
    return this.exited;
  }

  /** Graceful stop at the end of a run (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.exited) return;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    if (!(await this.waitExit(graceMs))) {
      this.signal('SIGKILL');
      await this.waitExit(5_000);
    }
  }

  close(): void {
    this.log.end();
  }
}
