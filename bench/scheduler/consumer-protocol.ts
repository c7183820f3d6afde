import type { Consumption } from './collector';

/** Messages between the benchmark and its consumer child process (Node IPC). */
export type ConsumerSpec =
  | { system: 'ours'; natsUrl: string; namespace: string; durable: string; subject: string; concurrency: number }
  | { system: 'bullmq'; redisUrl: string; prefix: string; queueName: string; concurrency: number }
  | { system: 'pgboss'; dbUrl: string; queue: string; batchSize: number };

/**
 * `start`: run `spec`'s consumer and count `expected` distinct jobs whose run tag equals `tag`
 * (SchedulerX: the post id the run seeded, sent with `tag` once known; '' for the others).
 */
export type ToChild =
  | { type: 'start'; spec: ConsumerSpec; expected: number; tag?: string }
  | { type: 'tag'; tag: string }
  | { type: 'stop' };

export type FromChild =
  | { type: 'ready' }
  | { type: 'complete' }
  | { type: 'stopped'; consumption?: Consumption }
  | { type: 'failed'; error: string };
