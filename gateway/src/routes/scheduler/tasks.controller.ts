import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SchedulerCreateTask, SchedulerDeleteTask, SchedulerExecuteTask, SchedulerGetTask, SchedulerListTasks, SchedulerPatchTask, SchedulerPauseTask, SchedulerResumeTask,
  SchedulerTaskExecutions, SchedulerUpdateTask,
} from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { ApiQueryFrom, bodyObject, queryToRequest } from './scheduler-query';

/** Recurring schedules (the seed's "tasks"): publish a post, run a pipeline or call a webhook on an RRULE or cron. */
@ApiTags('tasks')
@Controller('schedule/tasks')
export class TasksController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get()
  @ApiOperation({ summary: 'List recurring schedules (keyset pagination; ?paused=true|false, ?q= part of the name)' })
  @ApiQueryFrom(SchedulerListTasks.request)
  list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerListTasks, p, queryToRequest(q));
  }

  @Post()
  @MinRole('editor')
  @ApiOperation({ summary: 'Create a recurring schedule (RRULE or cron in an IANA zone, catch-up policy, action)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerCreateTask, p, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One recurring schedule' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerGetTask, p, { id });
  }

  @Put(':id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Replace a schedule\'s definition (every field required: name, recurrence, zone, action, catchUp, paused); unfired jobs are re-planned' })
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerUpdateTask, p, { ...bodyObject(body), id });
  }

  @Patch(':id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Edit a schedule: fields left out keep their value; a rename or pause keeps its planned jobs, a new recurrence/zone/action/catchUp re-plans them' })
  patch(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerPatchTask, p, { ...bodyObject(body), id });
  }

  @Delete(':id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Delete a schedule; its unfired jobs are cancelled' })
  remove(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerDeleteTask, p, { id });
  }

  @Post(':id/pause')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a schedule (its pending jobs become paused)' })
  pause(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerPauseTask, p, { id });
  }

  @Post(':id/resume')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused schedule' })
  resume(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerResumeTask, p, { id });
  }

  @Post(':id/execute')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the schedule\'s action once, now' })
  execute(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerExecuteTask, p, { id });
  }

  @Get(':id/executions')
  @ApiOperation({ summary: 'Execution history of a schedule, newest first (limit, cursor)' })
  executions(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerTaskExecutions, p, { ...queryToRequest(q), id });
  }
}
