import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  SchedulerCancelPost, SchedulerForcePost, SchedulerGetSlots, SchedulerListJobs, SchedulerNextSlots, SchedulerPatchScheduledPost, SchedulerPostAgain, SchedulerReschedulePost,
  SchedulerResolveUnknown, SchedulerRetryJob, SchedulerRun, SchedulerSchedulePost, SchedulerSetSlots, SchedulerSpacePosts,
  SchedulerStats, SchedulerUpcoming, SchedulerValidatePost, SchedulerGetSettings, SchedulerPatchSettings,
  type CommandContext, type CommandReply, type CommandRequest, type CommandResponse,
} from '@sx/contracts';
import { OnCommand } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import { CLOCK, type Clock } from '@sx/service-kit';
import { toJobView } from '../db/rows';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { jobRepository } from '../jobs/job.repository';
import { JobActionsService } from '../posts/job-actions.service';
import { PostSchedulingService } from '../posts/post-scheduling.service';
import { PreflightGate } from '../preflight/preflight-gate';
import { ScheduledPostEditService } from '../posts/scheduled-post-edit.service';
import { SlotsService } from '../slots/slots.service';
import { workspaceSettingsRepository } from '../slots/workspace-settings';
import { formatInZone } from '../time/zoned-time';
import { ok, tenantOf } from './reply';

type Req<D extends Parameters<typeof OnCommand>[0]> = CommandRequest<D>;
type Res<D extends Parameters<typeof OnCommand>[0]> = Promise<CommandReply<CommandResponse<D>>>;

/** Bus handlers for scheduling posts, jobs, slots and stats. */
@Injectable()
export class ScheduleHandlers {
  constructor(
    private readonly scheduling: PostSchedulingService,
    private readonly actions: JobActionsService,
    private readonly editing: ScheduledPostEditService,
    private readonly slots: SlotsService,
    private readonly dispatcher: DispatcherService,
    private readonly preflight: PreflightGate,
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnCommand(SchedulerSchedulePost)
  async schedule(r: Req<typeof SchedulerSchedulePost>, ctx: CommandContext): Res<typeof SchedulerSchedulePost> {
    await this.preflight.schedule(ctx, r);
    const res = await this.scheduling.schedule(tenantOf(ctx), r);
    return ok({ postId: res.postId, scheduleId: res.scheduleId, jobs: res.jobs.map(toJobView) });
  }

  @OnCommand(SchedulerReschedulePost)
  async reschedule(r: Req<typeof SchedulerReschedulePost>, ctx: CommandContext): Res<typeof SchedulerReschedulePost> {
    await this.preflight.post(ctx, r.id);
    return ok({ jobs: (await this.scheduling.reschedule(tenantOf(ctx), r.id, r.at, r.zone)).map(toJobView) });
  }

  @OnCommand(SchedulerPostAgain)
  async postAgain(r: Req<typeof SchedulerPostAgain>, ctx: CommandContext): Res<typeof SchedulerPostAgain> {
    await this.preflight.post(ctx, r.id, this.preflight.dueAt(r.when, r.zone));
    const res = await this.scheduling.postAgain(tenantOf(ctx), r.id, r.when, r.zone, r.catchUp);
    return ok({ postId: res.postId, scheduleId: res.scheduleId, jobs: res.jobs.map(toJobView) });
  }

  @OnCommand(SchedulerPatchScheduledPost)
  async patchScheduled(r: Req<typeof SchedulerPatchScheduledPost>, ctx: CommandContext): Res<typeof SchedulerPatchScheduledPost> {
    await this.preflight.edit(ctx, r.id, r, r.at !== undefined || r.targets !== undefined);
    const res = await this.editing.patch(tenantOf(ctx), r);
    return ok({ post: res.post, jobs: res.jobs.map(toJobView) });
  }

  @OnCommand(SchedulerValidatePost)
  async validate(r: Req<typeof SchedulerValidatePost>, ctx: CommandContext): Res<typeof SchedulerValidatePost> {
    return ok(await this.preflight.validate(ctx, r));
  }

  @OnCommand(SchedulerCancelPost)
  async cancel(r: Req<typeof SchedulerCancelPost>, ctx: CommandContext): Res<typeof SchedulerCancelPost> {
    return ok({ cancelledJobs: await this.actions.cancel(tenantOf(ctx), r.id) });
  }

  @OnCommand(SchedulerForcePost)
  async force(r: Req<typeof SchedulerForcePost>, ctx: CommandContext): Res<typeof SchedulerForcePost> {
    await this.preflight.post(ctx, r.id);
    return ok({ jobs: (await this.actions.force(tenantOf(ctx), r.id)).map(toJobView) });
  }

  @OnCommand(SchedulerListJobs)
  async listJobs(r: Req<typeof SchedulerListJobs>, ctx: CommandContext): Res<typeof SchedulerListJobs> {
    const page = await jobRepository.list(this.db, tenantOf(ctx), r);
    return ok({ items: page.items.map(toJobView), nextCursor: page.nextCursor });
  }

  @OnCommand(SchedulerUpcoming)
  async upcoming(r: Req<typeof SchedulerUpcoming>, ctx: CommandContext): Res<typeof SchedulerUpcoming> {
    return ok({ items: (await jobRepository.upcoming(this.db, tenantOf(ctx), this.clock.nowMs(), r.hours, r.limit)).map(toJobView) });
  }

  @OnCommand(SchedulerRetryJob)
  async retry(r: Req<typeof SchedulerRetryJob>, ctx: CommandContext): Res<typeof SchedulerRetryJob> {
    return ok(toJobView(await this.actions.retry(tenantOf(ctx), r.id)));
  }

  @OnCommand(SchedulerResolveUnknown)
  async resolve(r: Req<typeof SchedulerResolveUnknown>, ctx: CommandContext): Res<typeof SchedulerResolveUnknown> {
    return ok(toJobView(await this.actions.resolve(tenantOf(ctx), r)));
  }

  @OnCommand(SchedulerStats)
  async stats(r: Req<typeof SchedulerStats>, ctx: CommandContext): Res<typeof SchedulerStats> {
    const s = await this.scheduling.stats(tenantOf(ctx), r.zone);
    return ok({ total: s.total, pending: s.pending, running: s.running, stuck: s.stuck, published: s.published, failed: s.failed, unknown: s.unknown, postingToday: s.posting_today, publishedToday: s.published_today });
  }

  @OnCommand(SchedulerRun)
  async run(_r: Req<typeof SchedulerRun>, _ctx: CommandContext): Res<typeof SchedulerRun> {
    return ok(await this.dispatcher.runOnce());
  }

  @OnCommand(SchedulerGetSettings)
  async getSettings(_r: Req<typeof SchedulerGetSettings>, ctx: CommandContext): Res<typeof SchedulerGetSettings> {
    return ok(await workspaceSettingsRepository.get(this.db, tenantOf(ctx)));
  }

  @OnCommand(SchedulerPatchSettings)
  async patchSettings(r: Req<typeof SchedulerPatchSettings>, ctx: CommandContext): Res<typeof SchedulerPatchSettings> {
    return ok(await workspaceSettingsRepository.patch(this.db, tenantOf(ctx), r, this.clock.now()));
  }

  @OnCommand(SchedulerGetSlots)
  async getSlots(r: Req<typeof SchedulerGetSlots>, ctx: CommandContext): Res<typeof SchedulerGetSlots> {
    return ok(await this.slots.get(this.db, tenantOf(ctx), r.accountId));
  }

  @OnCommand(SchedulerSetSlots)
  async setSlots(r: Req<typeof SchedulerSetSlots>, ctx: CommandContext): Res<typeof SchedulerSetSlots> {
    return ok(await this.slots.set(tenantOf(ctx), r));
  }

  @OnCommand(SchedulerNextSlots)
  async nextSlots(r: Req<typeof SchedulerNextSlots>, ctx: CommandContext): Res<typeof SchedulerNextSlots> {
    const t = tenantOf(ctx);
    const cfg = await this.slots.get(this.db, t, r.accountId);
    const slots = await this.slots.nextFree(this.db, t, r.accountId, r.count);
    return ok({ slots: slots.map((at) => ({ at: at.toISOString(), local: formatInZone(at, cfg.zone) })) });
  }

  @OnCommand(SchedulerSpacePosts)
  async space(r: Req<typeof SchedulerSpacePosts>, ctx: CommandContext): Res<typeof SchedulerSpacePosts> {
    for (const postId of r.postIds) await this.preflight.post(ctx, postId);
    const res = await this.scheduling.space(tenantOf(ctx), r.postIds, r.catchUp);
    return ok({ scheduled: res.map((x) => ({ postId: x.postId, jobs: x.jobs.map(toJobView) })) });
  }
}
