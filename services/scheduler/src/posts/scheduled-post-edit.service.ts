import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { CommandRequest, PostView, SchedulerPatchScheduledPost } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { rows, type JobRow, type Tenant } from '../db/rows';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { transitionAnnounced } from '../jobs/job-events';
import { UNFIRED } from '../jobs/job-lifecycle';
import { jobRepository } from '../jobs/job.repository';
import { assertZone } from '../time/zoned-time';
import { PostSchedulingService } from './post-scheduling.service';
import { postsRepository, toPostView } from './posts.repository';

type PatchRequest = CommandRequest<typeof SchedulerPatchScheduledPost>;
const LIVE = UNFIRED;

/**
 * Seed 000's `PATCH /api/scheduled-posts/{id}`: one edit of a scheduled post's time, content or target
 * accounts, atomically. Absent fields stay as they are. New targets or a new time re-plan the post's
 * unfired one-off jobs (a new time for every target; new targets at the time already planned).
 */
@Injectable()
export class ScheduledPostEditService {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly scheduling: PostSchedulingService,
    private readonly dispatcher: DispatcherService,
  ) {}

  async patch(t: Tenant & { correlationId?: string }, req: PatchRequest): Promise<{ post: PostView; jobs: JobRow[] }> {
    const { id, at, zone, targets, ...content } = req;
    if (zone !== undefined) assertZone(zone);
    const result = await this.db.transaction(async (m) => {
      await postsRepository.get(m, t, id, { forUpdate: true });
      const planned = await this.plannedTime(m, t, id);
      if (Object.keys(content).length > 0) await postsRepository.update(m, t, id, content, this.clock.nowMs());
      if (targets) await this.replaceTargets(m, t, id, targets);
      const when = at ?? (targets !== undefined || zone !== undefined ? planned?.at : undefined);
      const replan = when !== undefined;
      if (when !== undefined) {
        await this.scheduling.rescheduleInTx(m, t, id, when, zone ?? planned?.zone ?? 'UTC');
      } else if (zone !== undefined) {
        throw new AppError('not_scheduled', `post ${id} has no unfired one-off job whose zone could change; give "at" too`, 409);
      }
      const post = toPostView(await postsRepository.get(m, t, id));
      const jobs = await jobRepository.list(m, t, { limit: 200, postId: id });
      return { post, jobs: jobs.items, replan };
    });
    if (result.replan) this.dispatcher.kick();
    return { post: result.post, jobs: result.jobs };
  }

  /** The earliest unfired one-off time of the post (what "keep the time" keeps), if it has one. */
  private async plannedTime(m: EntityManager, t: Tenant, postId: string): Promise<{ at: string; zone: string } | undefined> {
    const [row] = await rows<{ due_at: Date; zone: string }>(
      m,
      `SELECT j.due_at, j.zone FROM scheduler.publish_jobs j JOIN scheduler.schedules s ON s.id = j.schedule_id
        WHERE j.workspace_id = $1 AND j.post_id = $2 AND NOT s.is_task AND j.state = ANY($3::text[]) ORDER BY j.due_at LIMIT 1`,
      [t.workspaceId, postId, LIVE],
    );
    return row ? { at: row.due_at.toISOString(), zone: row.zone } : undefined;
  }

  /** Removed targets: their unfired jobs are cancelled; finished jobs keep account and platform. */
  private async replaceTargets(m: EntityManager, t: Tenant & { correlationId?: string }, postId: string, targets: { accountId: string; platform: string }[]): Promise<void> {
    const keep = [...new Set(targets.map((x) => x.accountId))];
    const removed = await rows<{ id: string }>(
      m,
      `SELECT id FROM scheduler.post_targets WHERE workspace_id = $1 AND post_id = $2 AND NOT (account_id = ANY($3::text[]))`,
      [t.workspaceId, postId, keep],
    );
    if (removed.length > 0) {
      const ids = removed.map((r) => r.id);
      const live = await rows<{ id: string }>(
        m,
        `SELECT id FROM scheduler.publish_jobs WHERE workspace_id = $1 AND target_id = ANY($2::uuid[]) AND state = ANY($3::text[])`,
        [t.workspaceId, ids, LIVE],
      );
      for (const job of live) await transitionAnnounced(m, this.clock, t, { jobId: job.id }, 'dropTarget', { reason: 'target removed' });
      await m.query(`UPDATE scheduler.publish_jobs SET target_id = NULL WHERE workspace_id = $1 AND target_id = ANY($2::uuid[])`, [t.workspaceId, ids]);
    }
    await postsRepository.replaceTargets(m, t, postId, targets);
  }
}
