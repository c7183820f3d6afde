/** Messages between the benchmark and its consumer child process (Node IPC). */
export type ConsumerSpec =
  | { system: 'ours'; natsUrl: string; namespace: string; durable: string; subject: string; concurrency: number }
  | { system: 'bullmq'; redisUrl: string; prefix: string; queueName: string; concurrency: number }
  | { system: 'pgboss'; dbUrl: string; queue: string; batchSize: number };

/**
 * One consumed message: job id, its due time, the consume time (epoch ms, this machine's clock) and a
 * run tag (SchedulerX: the post id the run seeded; '' for the others).
 */
export type ConsumedRecord = [jobId: string, dueMs: number, consumedMs: number, tag: string];

export type ToChild = { type: 'start'; spec: ConsumerSpec } | { type: 'stop' };

export type FromChild =
  | { type: 'ready' }
  | { type: 'records'; items: ConsumedRecord[] }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };
