import { Module } from '@nestjs/common';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { PostsController } from './posts.controller';
import { ScheduleController } from './schedule.controller';
import { TasksController } from './tasks.controller';
import { ViewsController } from './views.controller';
import { DeadLettersController } from './dead-letters.controller';

/** REST routes of the scheduler service (posts, scheduling, tasks), all through CommandProxy. */
@Module({ controllers: [ScheduleController, TasksController, PostsController, ViewsController, DeadLettersController], providers: [CommandProxy] })
export class SchedulerRoutesModule {}
