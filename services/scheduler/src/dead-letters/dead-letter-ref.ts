import type { DeadLetter } from '@sx/bus';
import type { DeadLetterView } from '@sx/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a dead letter is about: a dispatch of a job, an outcome of a job, or nothing the scheduler owns. */
export type DeadLetterRef =
  | { kind: 'dispatch' | 'outcome'; jobId: string; attempt: number; postId: string | null }
  | { kind: 'other' };

export function refOf(dl: DeadLetter): DeadLetterRef {
  const data = (dl.envelope?.data ?? {}) as Record<string, unknown>;
  const jobId = typeof data['jobId'] === 'string' && UUID.test(data['jobId']) ? data['jobId'] : undefined;
  const attempt = typeof data['attempt'] === 'number' && Number.isInteger(data['attempt']) ? data['attempt'] : undefined;
  if (!jobId || attempt === undefined) return { kind: 'other' };
  const postId = typeof data['postId'] === 'string' && UUID.test(data['postId']) ? data['postId'] : null;
  if (dl.originalSubject.startsWith('dispatch.')) return { kind: 'dispatch', jobId, attempt, postId };
  if (dl.originalSubject.startsWith('post.') && dl.consumer.startsWith('scheduler-outcome-')) return { kind: 'outcome', jobId, attempt, postId };
  return { kind: 'other' };
}

export function toView(dl: DeadLetter): DeadLetterView {
  const ref = refOf(dl);
  return {
    id: dl.id,
    consumer: dl.consumer,
    subject: dl.originalSubject,
    reason: dl.reason,
    deliveryCount: dl.deliveryCount,
    failedAt: dl.failedAt,
    eventId: dl.envelope.id,
    jobId: ref.kind === 'other' ? null : ref.jobId,
    postId: ref.kind === 'other' ? null : ref.postId,
  };
}

/** The reason a job moved by a dead letter carries (and what a replay checks for). */
export const DEAD_LETTERED = 'dead_lettered';
