import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  SchedulerCreatePost, SchedulerDeletePost, SchedulerGetPost, SchedulerListPosts, SchedulerRestorePost, SchedulerUpdatePost,
  type CommandContext, type CommandReply, type CommandRequest, type CommandResponse,
} from '@sx/contracts';
import { OnCommand } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import { toJobView } from '../db/rows';
import { jobRepository } from '../jobs/job.repository';
import { postsRepository, toPostView } from '../posts/posts.repository';
import { PostsService } from '../posts/posts.service';
import { PreflightGate } from '../preflight/preflight-gate';
import { ok, tenantOf } from './reply';

type Req<D extends Parameters<typeof OnCommand>[0]> = CommandRequest<D>;
type Res<D extends Parameters<typeof OnCommand>[0]> = Promise<CommandReply<CommandResponse<D>>>;

/** Bus handlers for posts: each validates (the bus did), calls one service method, replies. */
@Injectable()
export class PostsHandlers {
  constructor(
    private readonly posts: PostsService,
    private readonly preflight: PreflightGate,
    @InjectDataSource('scheduler') private readonly db: DataSource,
  ) {}

  @OnCommand(SchedulerCreatePost)
  async create(r: Req<typeof SchedulerCreatePost>, ctx: CommandContext): Res<typeof SchedulerCreatePost> {
    const { targets, ...content } = r;
    return ok(await this.posts.create(tenantOf(ctx), ctx.actorId, content, targets));
  }

  @OnCommand(SchedulerListPosts)
  async list(r: Req<typeof SchedulerListPosts>, ctx: CommandContext): Res<typeof SchedulerListPosts> {
    const page = await postsRepository.list(this.db, tenantOf(ctx), r);
    return ok({ items: page.items.map(toPostView), nextCursor: page.nextCursor });
  }

  @OnCommand(SchedulerGetPost)
  async get(r: Req<typeof SchedulerGetPost>, ctx: CommandContext): Res<typeof SchedulerGetPost> {
    const t = tenantOf(ctx);
    const post = await postsRepository.get(this.db, t, r.id, { includeDeleted: true });
    const jobs = await jobRepository.byPost(this.db, t, r.id);
    const history = await jobRepository.history(this.db, t, { postId: r.id }, 200);
    return ok({
      post: toPostView(post),
      jobs: jobs.map(toJobView),
      history: history.map((h) => ({ id: h.id, jobId: h.job_id, at: h.at.toISOString(), from: h.from_state, to: h.to_state, attempt: h.attempt, detail: h.detail })),
    });
  }

  @OnCommand(SchedulerUpdatePost)
  async update(r: Req<typeof SchedulerUpdatePost>, ctx: CommandContext): Res<typeof SchedulerUpdatePost> {
    const { id, ...content } = r;
    await this.preflight.edit(ctx, id, content, false);
    return ok(await this.posts.update(tenantOf(ctx), id, content));
  }

  @OnCommand(SchedulerDeletePost)
  async remove(r: Req<typeof SchedulerDeletePost>, ctx: CommandContext): Res<typeof SchedulerDeletePost> {
    return ok(await this.posts.remove(tenantOf(ctx), r.id));
  }

  @OnCommand(SchedulerRestorePost)
  async restore(r: Req<typeof SchedulerRestorePost>, ctx: CommandContext): Res<typeof SchedulerRestorePost> {
    return ok(await this.posts.restore(tenantOf(ctx), r.id));
  }
}
