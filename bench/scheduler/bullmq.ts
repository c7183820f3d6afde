import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { runResult } from './collector';
import type { RemoteConsumer } from './remote-consumer';
import { dueAt, inChunks, type RunResult, type ShapeSpec } from './stats';

interface BullJobData {
  id: string;
  due: number;
}

/** Deletes every Redis key under `prefix:` (and nothing else), with SCAN + UNLINK. */
async function deletePrefix(redis: IORedis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * BullMQ delayed jobs on the local Redis: `addBulk` with `delay = due − now` (chunks of 1,000, each under
 * a timeout) from this process; one Worker with concurrency 50 in the consumer child process (it both
 * promotes delayed jobs and runs the no-op processor that records lateness). Everything lives under a
 * random key prefix, removed afterwards.
 */
export async function runBullmq(redisUrl: string, shape: ShapeSpec, leadMs: number, maxWaitMs: number, consumer: RemoteConsumer): Promise<RunResult> {
  const prefix = `sxbench${randomBytes(4).toString('hex')}`;
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queueName = `due-${shape.name}`;
  const queue = new Queue<BullJobData>(queueName, { connection, prefix });
  let started = false;
  try {
    await consumer.start({ system: 'bullmq', redisUrl, prefix, queueName, concurrency: 50 }, shape.count, '');
    started = true;
    const t0 = Date.now();
    const firstDueMs = t0 + leadMs;
    await inChunks(shape.count, 1_000, 'bullmq addBulk', (from, to) => {
      const now = Date.now();
      const jobs = [];
      for (let i = from; i < to; i++) {
        const due = dueAt(shape, firstDueMs, i);
        jobs.push({ name: 'due', data: { id: String(i), due }, opts: { delay: Math.max(0, due - now) } });
      }
      return queue.addBulk(jobs);
    });
    const seedMs = Date.now() - t0;
    await consumer.waitComplete(dueAt(shape, firstDueMs, shape.count - 1) + maxWaitMs);
    started = false;
    const consumption = await consumer.stop();
    const note = ['concurrency 50', seedMs > leadMs ? `seeding overran the lead by ${seedMs - leadMs} ms` : ''].filter(Boolean).join('; ');
    return runResult('BullMQ', shape, firstDueMs, seedMs, consumption, note);
  } finally {
    if (started) await consumer.stop().catch(() => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await deletePrefix(connection, prefix).catch(() => undefined);
    connection.disconnect();
  }
}
