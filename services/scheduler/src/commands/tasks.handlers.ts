import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  SchedulerCreateTask, SchedulerDeleteTask, SchedulerExecuteTask, SchedulerGetTask, SchedulerListTasks, SchedulerPauseTask,
  SchedulerPatchTask, SchedulerPreviewRecurrence, SchedulerResumeTask, SchedulerTaskExecutions, SchedulerUpdateTask,
  type CommandContext, type CommandReply, type CommandRequest, type CommandResponse,
} from '@sx/contracts';
import { OnCommand } from '@sx/bus';
import { InjectDataSource } from '@sx/persistence';
import { CLOCK, type Clock } from '@sx/service-kit';
import { assertId, toJobView } from '../db/rows';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { jobRepository } from '../jobs/job.repository';
import { scheduleRepository, toScheduleView } from '../schedules/schedule.repository';
import type { ScheduleRow } from '../schedules/schedule.types';
import { SchedulesService } from '../schedules/schedules.service';
import { TaskPatchService } from '../schedules/task-patch.service';
import { PreflightGate } from '../preflight/preflight-gate';
import { compileRecurrence } from '../time/recurrence';
import { formatInZone } from '../time/zoned-time';
import { ok, tenantOf } from './reply';

type Req<D extends Parameters<typeof OnCommand>[0]> = CommandRequest<D>;
type Res<D extends Parameters<typeof OnCommand>[0]> = Promise<CommandReply<CommandResponse<D>>>;

/** Bus handlers for recurring schedules ("tasks") and recurrence previews. */
@Injectable()
export class TasksHandlers {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly patching: TaskPatchService,
    private readonly preflight: PreflightGate,
    private readonly dispatcher: DispatcherService,
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnCommand(SchedulerCreateTask)
  async create(r: Req<typeof SchedulerCreateTask>, ctx: CommandContext): Res<typeof SchedulerCreateTask> {
    await this.preflight.taskAction(ctx, r.action);
    const { schedule } = await this.db.transaction((m) => this.schedules.create(m, tenantOf(ctx), r, { isTask: true }));
    this.dispatcher.kick();
    return ok(await this.view(ctx, schedule));
  }

  @OnCommand(SchedulerListTasks)
  async list(r: Req<typeof SchedulerListTasks>, ctx: CommandContext): Res<typeof SchedulerListTasks> {
    const page = await scheduleRepository.listTasks(this.db, tenantOf(ctx), r.limit, r.cursor, { paused: r.paused, q: r.q });
    const stats = await scheduleRepository.runStats(this.db, tenantOf(ctx), page.items.map((s) => s.id));
    return ok({ items: page.items.map((s) => toScheduleView(s, stats.get(s.id))), nextCursor: page.nextCursor });
  }

  @OnCommand(SchedulerGetTask)
  async get(r: Req<typeof SchedulerGetTask>, ctx: CommandContext): Res<typeof SchedulerGetTask> {
    return ok(await this.view(ctx, await scheduleRepository.get(this.db, tenantOf(ctx), r.id)));
  }

  @OnCommand(SchedulerUpdateTask)
  async update(r: Req<typeof SchedulerUpdateTask>, ctx: CommandContext): Res<typeof SchedulerUpdateTask> {
    const { id, ...input } = r;
    await this.preflight.taskAction(ctx, input.action);
    return ok(await this.view(ctx, await this.schedules.replace(tenantOf(ctx), id, input)));
  }

  @OnCommand(SchedulerPatchTask)
  async patch(r: Req<typeof SchedulerPatchTask>, ctx: CommandContext): Res<typeof SchedulerPatchTask> {
    if (r.action) await this.preflight.taskAction(ctx, r.action);
    const row = await this.patching.patch(tenantOf(ctx), r);
    this.dispatcher.kick();
    return ok(await this.view(ctx, row));
  }

  @OnCommand(SchedulerDeleteTask)
  async remove(r: Req<typeof SchedulerDeleteTask>, ctx: CommandContext): Res<typeof SchedulerDeleteTask> {
    await this.schedules.remove(tenantOf(ctx), r.id);
    return ok({ ok: true as const });
  }

  @OnCommand(SchedulerPauseTask)
  async pause(r: Req<typeof SchedulerPauseTask>, ctx: CommandContext): Res<typeof SchedulerPauseTask> {
    return ok(await this.view(ctx, await this.schedules.setPaused(tenantOf(ctx), r.id, true)));
  }

  @OnCommand(SchedulerResumeTask)
  async resume(r: Req<typeof SchedulerResumeTask>, ctx: CommandContext): Res<typeof SchedulerResumeTask> {
    const s = await this.schedules.setPaused(tenantOf(ctx), r.id, false);
    this.dispatcher.kick();
    return ok(await this.view(ctx, s));
  }

  @OnCommand(SchedulerExecuteTask)
  async execute(r: Req<typeof SchedulerExecuteTask>, ctx: CommandContext): Res<typeof SchedulerExecuteTask> {
    return ok({ jobs: (await this.schedules.executeNow(tenantOf(ctx), r.id)).map(toJobView) });
  }

  @OnCommand(SchedulerTaskExecutions)
  async executions(r: Req<typeof SchedulerTaskExecutions>, ctx: CommandContext): Res<typeof SchedulerTaskExecutions> {
    const t = tenantOf(ctx);
    await scheduleRepository.get(this.db, t, assertId(r.id, 'schedule'));
    const before = r.cursor && /^\d{1,18}$/.test(r.cursor) ? r.cursor : undefined;
    const items = await jobRepository.history(this.db, t, { scheduleId: r.id }, r.limit + 1, before);
    const page = items.slice(0, r.limit);
    return ok({
      items: page.map((h) => ({ id: h.id, jobId: h.job_id, at: h.at.toISOString(), from: h.from_state, to: h.to_state, attempt: h.attempt, detail: h.detail })),
      nextCursor: items.length > r.limit ? page[page.length - 1].id : null,
    });
  }

  @OnCommand(SchedulerPreviewRecurrence)
  async preview(r: Req<typeof SchedulerPreviewRecurrence>, _ctx: CommandContext): Res<typeof SchedulerPreviewRecurrence> {
    const now = this.clock.now();
    const rec = compileRecurrence(r.recurrence, r.zone, now);
    const after = r.after ? new Date(r.after) : new Date(now.getTime() - 1);
    return ok({ occurrences: rec.occurrencesAfter(after, r.count).map((at) => ({ at: at.toISOString(), local: formatInZone(at, r.zone) })) });
  }

  private async view(ctx: CommandContext, row: ScheduleRow) {
    const stats = await scheduleRepository.runStats(this.db, tenantOf(ctx), [row.id]);
    return toScheduleView(row, stats.get(row.id));
  }
}
