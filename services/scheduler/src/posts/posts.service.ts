import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PostView } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { rows, type Tenant } from '../db/rows';
import { announceStateChanges, transitionAnnounced, type JobRefRow } from '../jobs/job-events';
import { postsRepository, toPostView, type PostContent } from './posts.repository';

/** Posts: content, targets, soft delete and restore. Deleting cancels the post's unfired jobs. */
@Injectable()
export class PostsService {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(t: Tenant, actorId: string, c: PostContent, targets: { accountId: string; platform: string }[]): Promise<PostView> {
    return this.db.transaction(async (m) => {
      const id = await postsRepository.insert(m, t, actorId, c, targets, this.clock.nowMs());
      return toPostView(await postsRepository.get(m, t, id));
    });
  }

  async update(t: Tenant, id: string, c: Partial<PostContent>): Promise<PostView> {
    return this.db.transaction(async (m) => {
      await postsRepository.get(m, t, id, { forUpdate: true });
      await postsRepository.update(m, t, id, c, this.clock.nowMs());
      return toPostView(await postsRepository.get(m, t, id));
    });
  }

  async remove(t: Tenant, id: string): Promise<{ id: string; cancelledJobs: number }> {
    return this.db.transaction(async (m) => {
      await postsRepository.get(m, t, id, { forUpdate: true });
      const now = this.clock.nowMs();
      const cancelled = await transitionAnnounced(m, this.clock, t, { postId: id }, ['pending', 'armed', 'retry_wait', 'paused'], 'cancelled', { reason: 'post deleted' });
      await postsRepository.setDeleted(m, t, id, new Date(now), now);
      return { id, cancelledJobs: cancelled.length };
    });
  }

  /** Restores a deleted post; jobs cancelled by the delete come back only if still in the future. */
  async restore(t: Tenant, id: string): Promise<PostView> {
    return this.db.transaction(async (m) => {
      const post = await postsRepository.get(m, t, id, { includeDeleted: true, forUpdate: true });
      if (!post.deleted_at) throw AppError.conflict('not_deleted', `post ${id} is not deleted`);
      const now = this.clock.nowMs();
      await postsRepository.setDeleted(m, t, id, null, now);
      const back = await rows<JobRefRow>(
        m,
        `WITH f AS (UPDATE scheduler.publish_jobs SET state = 'pending', reason = NULL, updated_at = $3
           WHERE workspace_id = $1 AND post_id = $2 AND state = 'cancelled' AND reason = 'post deleted' AND fire_at > $3 RETURNING *),
         h AS (INSERT INTO scheduler.job_executions (workspace_id, job_id, schedule_id, post_id, at, from_state, to_state, attempt, detail)
           SELECT workspace_id, id, schedule_id, post_id, $3, 'cancelled', 'pending', attempt, 'post restored' FROM f)
         SELECT id, schedule_id, post_id, target_id, account_id, platform, attempt FROM f`,
        [t.workspaceId, id, new Date(now)],
      );
      await announceStateChanges(m, t, back.map((row) => ({ row, from: 'cancelled', to: 'pending', reason: 'post restored' })), this.clock);
      return toPostView(await postsRepository.get(m, t, id));
    });
  }
}
