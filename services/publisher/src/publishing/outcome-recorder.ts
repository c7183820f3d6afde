import type { EventBus } from '@sx/bus';
import {
  PostFailed,
  PostPublished,
  PostPublishing,
  PostRetrying,
  PostUnknown,
  PostDeferred,
  type ErrorClass,
  type EventDefinition,
} from '@sx/contracts';
import type { Clock } from '@sx/service-kit';
import type { AttemptOutcome, AttemptRecord, AttemptsRepository, NewAttempt } from './attempts.repository';
import type { JobScope } from './dispatch.types';
import { PublisherMetrics } from '../publisher.metrics';

export type Outcome =
  | { status: 'published'; platformPostId: string; url: string; publishedAt?: string }
  | { status: 'retrying'; errorClass: ErrorClass; message: string; retryAt: Date }
  | { status: 'failed'; errorClass: ErrorClass; message: string }
  | { status: 'unknown'; message: string };

/**
 * Writes an attempt's outcome with the fenced conditional update, then emits the matching event
 * with a deterministic id (`<job>:<attempt>:<status>`), so a redelivery re-emits a duplicate the
 * bus drops instead of a second fact.
 */
export class OutcomeRecorder {
  constructor(
    private readonly attempts: AttemptsRepository,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly metrics: PublisherMetrics = new PublisherMetrics(),
  ) {}

  /** `publisherId`: this process, whose liveness tells the scheduler whether an outcome can still come. */
  async publishing(s: JobScope, idempotencyKey: string, publisherId?: string): Promise<void> {
    await this.emit(PostPublishing, { ...this.ref(s), idempotencyKey, ...(publisherId ? { publisherId } : {}) }, s, 'publishing');
  }

  /** The rate budget holds the dispatch back until `until`; no attempt is journaled, nothing was sent. */
  async deferred(s: JobScope, until: Date, reason: string): Promise<void> {
    this.metrics.outcomes.inc({ status: 'deferred', platform: s.job.platform });
    await this.emit(PostDeferred, { ...this.ref(s), until: until.toISOString(), reason }, s, 'deferred');
  }

  /** Applies the outcome if the attempt is still `publishing` under this fencing token; emits only then. */
  async record(s: JobScope, o: Outcome): Promise<boolean> {
    const { job } = s;
    const applied = await this.attempts.finish(s.workspaceId, job.jobId, job.attempt, job.fencingToken, this.toRow(o));
    if (applied) await this.emitOutcome(s, o);
    return applied;
  }

  /** Journals and reports an attempt that failed before any platform call. */
  async failedBeforeCall(s: JobScope, attempt: NewAttempt, o: Extract<Outcome, { status: 'failed' }>): Promise<void> {
    if (await this.attempts.startFinished(attempt, this.toRow(o))) await this.emitOutcome(s, o);
  }

  /** Re-emits the outcome a finished attempt row already holds (redelivery after the event was lost). */
  async replay(s: JobScope, row: AttemptRecord): Promise<void> {
    const o = fromRow(row);
    if (o) await this.emitOutcome(s, o);
  }

  private async emitOutcome(s: JobScope, o: Outcome): Promise<void> {
    const ref = this.ref(s);
    this.metrics.outcomes.inc({ status: o.status, platform: s.job.platform });
    switch (o.status) {
      case 'published':
        return this.emit(
          PostPublished,
          { ...ref, platformPostId: o.platformPostId, url: o.url, publishedAt: o.publishedAt ?? this.clock.now().toISOString() },
          s,
          o.status,
        );
      case 'retrying':
        return this.emit(PostRetrying, { ...ref, errorClass: o.errorClass, message: o.message, retryAt: o.retryAt.toISOString() }, s, o.status);
      case 'failed':
        return this.emit(PostFailed, { ...ref, errorClass: o.errorClass, message: o.message }, s, o.status);
      case 'unknown':
        return this.emit(PostUnknown, { ...ref, message: o.message }, s, o.status);
    }
  }

  private ref(s: JobScope) {
    const { jobId, postId, targetId, accountId, platform, attempt } = s.job;
    return { jobId, postId, targetId, accountId, platform, attempt };
  }

  private async emit<D extends EventDefinition>(def: D, data: unknown, s: JobScope, suffix: string): Promise<void> {
    await this.bus.publish(def, data as never, {
      workspaceId: s.workspaceId,
      correlationId: s.correlationId,
      causationId: s.causationId,
      id: `${s.job.jobId}:${s.job.attempt}:${suffix}`,
    });
  }

  private toRow(o: Outcome): AttemptOutcome {
    const finishedAt = this.clock.now();
    switch (o.status) {
      case 'published':
        return { status: o.status, platformPostId: o.platformPostId, url: o.url, finishedAt };
      case 'retrying':
        return { status: o.status, errorClass: o.errorClass, message: o.message, retryAt: o.retryAt, finishedAt };
      case 'failed':
        return { status: o.status, errorClass: o.errorClass, message: o.message, finishedAt };
      case 'unknown':
        return { status: o.status, errorClass: 'unknown', message: o.message, finishedAt };
    }
  }
}

function fromRow(r: AttemptRecord): Outcome | undefined {
  const message = r.message ?? '';
  switch (r.status) {
    case 'published':
      return r.platformPostId && r.url
        ? { status: 'published', platformPostId: r.platformPostId, url: r.url, publishedAt: r.finishedAt?.toISOString() }
        : undefined;
    case 'retrying':
      return { status: 'retrying', errorClass: r.errorClass ?? 'retryable', message, retryAt: r.retryAt ?? r.startedAt };
    case 'failed':
      return { status: 'failed', errorClass: r.errorClass ?? 'rejected', message };
    case 'unknown':
      return { status: 'unknown', message };
    default:
      return undefined;
  }
}
