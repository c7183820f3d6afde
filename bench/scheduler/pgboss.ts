import PgBoss from 'pg-boss';
import { runResult } from './collector';
import type { RemoteConsumer } from './remote-consumer';
import { dueAt, inChunks, type RunResult, type ShapeSpec } from './stats';

interface BossJobData {
  id: string;
  due: number;
}

/**
 * pg-boss `startAfter` jobs in their own schema of the run's database: `insert` in chunks of 1,000
 * (each under a timeout) from this process; one `work()` in the consumer child process at the fastest
 * polling pg-boss allows (0.5 s), fetching `batchSize` jobs at a time, whose no-op handler records lateness.
 */
export async function runPgboss(
  dbUrl: string, shape: ShapeSpec, leadMs: number, maxWaitMs: number, batchSize: number, consumer: RemoteConsumer,
): Promise<RunResult> {
  const boss = new PgBoss({ connectionString: dbUrl, schema: 'pgboss_bench', supervise: false, schedule: false, max: 6 });
  boss.on('error', () => undefined);
  await boss.start();
  const queue = `due_${shape.name}`;
  let started = false;
  try {
    await boss.createQueue(queue);
    await consumer.start({ system: 'pgboss', dbUrl, queue, batchSize }, shape.count, '');
    started = true;
    const t0 = Date.now();
    const firstDueMs = t0 + leadMs;
    await inChunks(shape.count, 1_000, 'pg-boss insert', (from, to) => {
      const jobs: PgBoss.JobInsert<BossJobData>[] = [];
      for (let i = from; i < to; i++) {
        const due = dueAt(shape, firstDueMs, i);
        jobs.push({ name: queue, data: { id: String(i), due }, startAfter: new Date(due) });
      }
      return boss.insert(jobs);
    });
    const seedMs = Date.now() - t0;
    await consumer.waitComplete(dueAt(shape, firstDueMs, shape.count - 1) + maxWaitMs);
    started = false;
    const consumption = await consumer.stop();
    const note = [`polling 0.5 s, batch ${batchSize}`, seedMs > leadMs ? `seeding overran the lead by ${seedMs - leadMs} ms` : ''].filter(Boolean).join('; ');
    return runResult('pg-boss', shape, firstDueMs, seedMs, consumption, note);
  } finally {
    if (started) await consumer.stop().catch(() => undefined);
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}
