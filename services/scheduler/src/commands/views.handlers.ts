import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  SchedulerCalendarRange, SchedulerPostFeed,
  type CommandContext, type CommandReply, type CommandRequest, type CommandResponse,
} from '@sx/contracts';
import { OnCommand } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import { toJobView } from '../db/rows';
import { postViewsRepository } from '../posts/post-views.repository';
import { toPostView } from '../posts/posts.repository';
import { ok, tenantOf } from './reply';

type Req<D extends Parameters<typeof OnCommand>[0]> = CommandRequest<D>;
type Res<D extends Parameters<typeof OnCommand>[0]> = Promise<CommandReply<CommandResponse<D>>>;

/** Read-only bus handlers behind the dashboard's Schedule list and Calendar. */
@Injectable()
export class ViewsHandlers {
  constructor(@InjectDataSource('scheduler') private readonly db: DataSource) {}

  @OnCommand(SchedulerPostFeed)
  async feed(r: Req<typeof SchedulerPostFeed>, ctx: CommandContext): Res<typeof SchedulerPostFeed> {
    const page = await postViewsRepository.feed(this.db, tenantOf(ctx), r);
    return ok({
      items: page.items.map((i) => ({ post: toPostView(i.post), status: i.status, dueAt: i.dueAt.toISOString(), jobs: i.jobs.map(toJobView) })),
      nextCursor: page.nextCursor,
      total: page.total,
    });
  }

  @OnCommand(SchedulerCalendarRange)
  async calendar(r: Req<typeof SchedulerCalendarRange>, ctx: CommandContext): Res<typeof SchedulerCalendarRange> {
    return ok(await postViewsRepository.calendar(this.db, tenantOf(ctx), r.from, r.to));
  }
}
