import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PostFailed, PostPublished, PostPublishing, PostRetrying, PostUnknown, PostDeferred, type EventData } from '@sx/contracts';
import { OnEvent, type Delivery } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import { CLOCK, type Clock } from '@sx/service-kit';
import type { TransitionBy } from '../jobs/job-lifecycle';
import { jobRepository, type TransitionPatch } from '../jobs/job.repository';

type Ref = { jobId: string; attempt: number };

/**
 * Applies the publisher's outcomes to jobs.
 * Idempotency contract: every transition is conditional on (workspace, job id, attempt, the lifecycle
 * rule's from-states), so a redelivered or stale outcome (older attempt, job already terminal) changes nothing.
 */
@Injectable()
export class OutcomeConsumer {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent(PostPublishing, { durable: 'scheduler-outcome-publishing' })
  async publishing(d: Delivery<EventData<typeof PostPublishing>>): Promise<void> {
    await this.apply(d.envelope.workspaceId, d.envelope.data, 'publishing', { publisherOwner: d.envelope.data.publisherId });
  }

  @OnEvent(PostPublished, { durable: 'scheduler-outcome-published' })
  async published(d: Delivery<EventData<typeof PostPublished>>): Promise<void> {
    const e = d.envelope.data;
    await this.apply(d.envelope.workspaceId, e, 'published', { platformPostId: e.platformPostId, url: e.url, reason: null });
  }

  @OnEvent(PostFailed, { durable: 'scheduler-outcome-failed' })
  async failed(d: Delivery<EventData<typeof PostFailed>>): Promise<void> {
    const e = d.envelope.data;
    await this.apply(d.envelope.workspaceId, e, 'failed', { lastError: e.message.slice(0, 1000), errorClass: e.errorClass, reason: e.errorClass });
  }

  @OnEvent(PostRetrying, { durable: 'scheduler-outcome-retrying' })
  async retrying(d: Delivery<EventData<typeof PostRetrying>>): Promise<void> {
    const e = d.envelope.data;
    await this.apply(d.envelope.workspaceId, e, 'retrying', { fireAt: new Date(e.retryAt), lastError: e.message.slice(0, 1000), errorClass: e.errorClass, reason: e.errorClass });
  }

  /** Re-armed for the instant the budget allows; `expectedAt` on the job shows it will go out late. */
  @OnEvent(PostDeferred, { durable: 'scheduler-outcome-deferred' })
  async deferred(d: Delivery<EventData<typeof PostDeferred>>): Promise<void> {
    const e = d.envelope.data;
    await this.apply(d.envelope.workspaceId, e, 'deferred', { fireAt: new Date(e.until), reason: e.reason.slice(0, 1000) });
  }

  @OnEvent(PostUnknown, { durable: 'scheduler-outcome-unknown' })
  async unknown(d: Delivery<EventData<typeof PostUnknown>>): Promise<void> {
    const e = d.envelope.data;
    await this.apply(d.envelope.workspaceId, e, 'unknown', { lastError: e.message.slice(0, 1000), reason: 'outcome unknown: needs a person' });
  }

  private async apply(workspaceId: string, ref: Ref, name: TransitionBy<'publisher'>, patch: TransitionPatch): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(ref.jobId)) return; // not one of ours: nothing to update
    await jobRepository.transition(this.db, { workspaceId }, { jobId: ref.jobId, attempt: ref.attempt }, name, patch, this.clock.nowMs());
  }
}
