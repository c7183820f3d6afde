import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RunExecutor } from './run-executor';
import type { RunsRepository } from './runs.repository';

export interface WorkerOptions {
  leaseMs: number;
  /** How often an idle worker looks for due runs (retries come due without a wake-up). */
  pollMs: number;
  concurrency: number;
}

/**
 * Claims and executes runs. Several workers (replicas, or loops in one process) share the queue
 * safely through the repository's leased claims. `kick()` wakes idle loops after new runs are queued.
 */
export class PipelineWorker {
  readonly owner = `pipeline-${randomUUID().slice(0, 8)}`;
  private stopped = true;
  private loops: Promise<void>[] = [];
  private wakers: (() => void)[] = [];

  constructor(
    private readonly repo: RunsRepository,
    private readonly executor: RunExecutor,
    private readonly logger: Logger,
    private readonly opts: WorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loops = Array.from({ length: this.opts.concurrency }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await Promise.all(this.loops);
  }

  kick(): void {
    for (const wake of this.wakers.splice(0)) wake();
  }

  /** Claims and runs until the queue has nothing due; returns how many runs it processed. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const claim = await this.repo.claim(this.owner, this.opts.leaseMs);
      if (!claim) return n;
      await this.executor.execute(claim);
      n++;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if ((await this.drain()) > 0) continue;
      } catch (e) {
        this.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'pipeline worker iteration failed');
      }
      await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers = this.wakers.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, this.opts.pollMs);
      timer.unref();
      this.wakers.push(done);
    });
  }
}
