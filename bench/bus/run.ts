/**
 * `npm run bench:bus -- [--messages 10000]`: the embedded dispatch path's bus cost, before (in-process,
 * memory) and after (Postgres queue tables, durable). A burst of dispatch messages is published as the
 * scheduler publishes (prepared, up to 1,000 in flight) to one durable consumer that handles them as the
 * publisher does (concurrency 16, unconfirmed acks, a no-op handler). Prints publish time, drain time
 * (first publish → last message handled) and messages per second. Needs the local PostgreSQL (127.0.0.1:5432).
 */
import { randomUUID } from 'node:crypto';
import { InProcessEventBus, PostgresEventBus, type EventBus } from '@sx/bus';
import { DispatchRequested } from '@sx/contracts';
import { createTestDatabase } from '@sx/testing';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg('messages', 10_000);
const IN_FLIGHT = 1_000;

async function burst(name: string, bus: EventBus): Promise<void> {
  await bus.start();
  let handled = 0;
  let done: () => void = () => undefined;
  const drained = new Promise<void>((r) => (done = r));
  await bus.subscribe(DispatchRequested, async () => void (++handled === MESSAGES && done()), {
    durable: 'publisher', subject: 'dispatch.*', concurrency: 16, confirmAcks: false,
  });
  const now = new Date().toISOString();
  const prepared = [...Array(MESSAGES).keys()].map((n) =>
    bus.prepare(DispatchRequested, {
      jobId: randomUUID(), postId: randomUUID(), targetId: randomUUID(), accountId: 'acct', platform: 'webhook', attempt: 1,
      fencingToken: 1, dueAt: now, firedAt: now, content: { text: `burst ${n}`, hashtags: [], mediaIds: [], settings: {} },
    }, { workspaceId: 'ws-bench', correlationId: randomUUID(), subject: 'dispatch.webhook' }),
  );
  const t0 = performance.now();
  let next = 0;
  await Promise.all([...Array(IN_FLIGHT).keys()].map(async () => {
    while (next < prepared.length) await bus.publishPrepared(prepared[next++]);
  }));
  const published = performance.now() - t0;
  await drained;
  const drain = performance.now() - t0;
  console.log(`${name.padEnd(12)} ${MESSAGES} messages: published in ${Math.round(published)} ms, drained in ${Math.round(drain)} ms (${Math.round(MESSAGES / (drain / 1000))}/s)`);
  await bus.close();
}

async function main(): Promise<void> {
  await burst('in-process', new InProcessEventBus());
  const db = await createTestDatabase();
  try {
    await burst('postgres', new PostgresEventBus({ databaseUrl: db.url, namespace: 'bench_' }));
  } finally {
    await db.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
