import { DispatchRequested, PipelineRunRequested, type EventData } from '@sx/contracts';
import type { EventBus, PreparedEvent, PublishResult } from '@sx/bus';
import { jobRef } from '../jobs/job-events';
import { webhookContent } from '../schedules/webhook-content';
import type { FiredJob } from './dispatch.repository';

/** Nats-Msg-Id of one attempt's dispatch: the same attempt always dedupes to one message. */
export const dispatchMessageId = (jobId: string, attempt: number) => `${jobId}:${attempt}`;

function contentOf(job: FiredJob): EventData<typeof DispatchRequested>['content'] {
  if (job.kind === 'webhook') {
    return webhookContent((job.action['payload'] ?? {}) as Record<string, unknown>);
  }
  const override = job.overrides?.[job.platform] ?? {};
  const text = typeof override['text'] === 'string' ? override['text'] : (job.text ?? '');
  const title = typeof override['title'] === 'string' ? override['title'] : (job.title ?? undefined);
  return { title, text, hashtags: job.hashtags ?? [], mediaIds: job.media_ids ?? [], settings: override };
}

/** Publishes one fired job now (see prepareFired). */
export function publishFired(bus: EventBus, job: FiredJob, firedAtMs: number): Promise<PublishResult> {
  return bus.publishPrepared(prepareFired(bus, job, firedAtMs));
}

/**
 * Builds (validates and serialises) the message of one fired job: `dispatch.<platform>` for posts and
 * webhooks (a webhook is the `webhook` plugin's account; postId/targetId carry the schedule and job ids),
 * `pipeline.run.requested` for pipelines. `firedAtMs` is when it goes out.
 */
export function prepareFired(bus: EventBus, job: FiredJob, firedAtMs: number): PreparedEvent {
  const meta = { workspaceId: job.workspace_id, correlationId: job.id, id: dispatchMessageId(job.id, job.attempt) };
  const firedAt = new Date(firedAtMs).toISOString();
  if (job.kind === 'pipeline') {
    return bus.prepare(
      PipelineRunRequested,
      {
        jobId: job.id,
        scheduleId: job.schedule_id,
        pipeline: String(job.action['pipeline']),
        params: (job.action['params'] ?? {}) as Record<string, string>,
        dueAt: job.due_at.toISOString(),
        firedAt,
      },
      meta,
    );
  }
  return bus.prepare(
    DispatchRequested,
    {
      ...jobRef(job),
      fencingToken: Number(job.fencing_token),
      dueAt: job.due_at.toISOString(),
      firedAt,
      content: contentOf(job),
    },
    { ...meta, subject: `dispatch.${job.platform}` },
  );
}
