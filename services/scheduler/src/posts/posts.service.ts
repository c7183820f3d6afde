import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PostPatch, PostView } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import type { Tenant } from '../db/rows';
import { transitionAnnounced } from '../jobs/job-events';
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

  async update(t: Tenant, id: string, c: PostPatch): Promise<PostView> {
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
      const cancelled = await transitionAnnounced(m, this.clock, t, { postId: id }, 'deletePost', { reason: 'post deleted' });
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
      await transitionAnnounced(m, this.clock, t, { postId: id, deletedWithPost: true }, 'restorePost', { reason: 'post restored' });
      return toPostView(await postsRepository.get(m, t, id));
    });
  }
}
