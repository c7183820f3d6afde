import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import PgBoss from 'pg-boss';
import { DispatchRequested } from '@sx/contracts';
import { JetStreamEventBus } from '@sx/bus';
import type { ConsumerSpec } from './consumer-protocol';

/** Called once per consumed message with the job id, its due time (epoch ms) and a run tag. */
export type Record = (jobId: string, dueMs: number, tag?: string) => void;
export type Stop = () => Promise<void>;

/**
 * The no-op consumer of each system, as it would run in its own process: SchedulerX's dispatch
 * subscriber (the publisher service's side of the bus), a BullMQ Worker (which also promotes delayed
 * jobs: it is BullMQ's scheduler too) and a pg-boss `work()` poller.
 */
export function startConsumer(spec: ConsumerSpec, record: Record): Promise<Stop> {
  switch (spec.system) {
    case 'ours':
      return startOurs(spec, record);
    case 'bullmq':
      return startBullmq(spec, record);
    case 'pgboss':
      return startPgboss(spec, record);
  }
}

async function startOurs(spec: Extract<ConsumerSpec, { system: 'ours' }>, record: Record): Promise<Stop> {
  const bus = new JetStreamEventBus({
    servers: spec.natsUrl, namespace: spec.namespace, replicas: 1, duplicateWindowMs: 120_000, maxDeliver: 5,
    requestTimeoutMs: 5_000, publishTimeoutMs: 5_000, name: 'scheduler-bench-consumer',
  });
  const sub = await bus.subscribe(
    DispatchRequested,
    async (d) => record(d.envelope.data.jobId, Date.parse(d.envelope.data.dueAt), d.envelope.data.postId),
    // Unconfirmed acks, as the publisher service's dispatch subscription (services/publisher, ADR 006).
    { durable: spec.durable, subject: spec.subject, concurrency: spec.concurrency, confirmAcks: false },
  );
  return async () => {
    await sub.unsubscribe();
    await bus.close();
  };
}

interface JobData {
  id: string;
  due: number;
}

async function startBullmq(spec: Extract<ConsumerSpec, { system: 'bullmq' }>, record: Record): Promise<Stop> {
  const connection = new IORedis(spec.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<JobData>(spec.queueName, async (job) => record(job.data.id, job.data.due), {
    connection, prefix: spec.prefix, concurrency: spec.concurrency, removeOnComplete: { count: 0 }, removeOnFail: { count: 0 },
  });
  await worker.waitUntilReady();
  return async () => {
    await worker.close(true).catch(() => undefined);
    connection.disconnect();
  };
}

async function startPgboss(spec: Extract<ConsumerSpec, { system: 'pgboss' }>, record: Record): Promise<Stop> {
  const boss = new PgBoss({ connectionString: spec.dbUrl, schema: 'pgboss_bench', supervise: false, schedule: false, max: 4 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.work<JobData>(spec.queue, { pollingIntervalSeconds: 0.5, batchSize: spec.batchSize }, async (jobs) => {
    for (const job of jobs) record(job.data.id, job.data.due);
  });
  return async () => {
    await boss.offWork(spec.queue).catch(() => undefined);
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  };
}
