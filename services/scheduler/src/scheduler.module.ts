import { Module } from '@nestjs/common';
import { createOutboxMigration } from '@sx/bus';
import { PersistenceModule } from '@sx/persistence';
import { PostsHandlers } from './commands/posts.handlers';
import { ScheduleHandlers } from './commands/schedule.handlers';
import { TasksHandlers } from './commands/tasks.handlers';
import { ViewsHandlers } from './commands/views.handlers';
import { JobRecovery1764800000000 } from './db/job-recovery.migration';
import { SchedulerSchema1763800000000 } from './db/scheduler-schema.migration';
import { WorkspaceSettings1764900000000 } from './db/workspace-settings.migration';
import { DispatcherService } from './dispatch/dispatcher.service';
import { OutcomeConsumer } from './dispatch/outcome.consumer';
import { SchedulerOutboxRelay } from './dispatch/scheduler-outbox-relay';
import { JobActionsService } from './posts/job-actions.service';
import { PostSchedulingService } from './posts/post-scheduling.service';
import { PostsService } from './posts/posts.service';
import { ScheduledPostEditService } from './posts/scheduled-post-edit.service';
import { SchedulesService } from './schedules/schedules.service';
import { TaskPatchService } from './schedules/task-patch.service';
import { PreflightClient } from './preflight/preflight.client';
import { PreflightGate } from './preflight/preflight-gate';
import { SlotsService } from './slots/slots.service';
import { DeadLettersHandlers } from './dead-letters/dead-letters.handlers';

export const SCHEDULER_MIGRATIONS = [createOutboxMigration('scheduler'), SchedulerSchema1763800000000, JobRecovery1764800000000, WorkspaceSettings1764900000000];

/**
 * The scheduler service. Needs CoreModule's global providers (APP_CONFIG, CLOCK, METRICS, HealthRegistry,
 * EVENT_BUS) and BusModule in the composition root (it discovers the @OnCommand/@OnEvent handlers here).
 */
@Module({
  imports: [PersistenceModule.forService({ schema: 'scheduler', entities: [], migrations: SCHEDULER_MIGRATIONS })],
  providers: [
    DispatcherService,
    OutcomeConsumer,
    SchedulerOutboxRelay,
    SchedulesService,
    PostsService,
    PostSchedulingService,
    JobActionsService,
    ScheduledPostEditService,
    TaskPatchService,
    PreflightClient,
    PreflightGate,
    SlotsService,
    PostsHandlers,
    ScheduleHandlers,
    TasksHandlers,
    ViewsHandlers,
    DeadLettersHandlers,
  ],
  exports: [DispatcherService],
})
export class SchedulerModule {}
