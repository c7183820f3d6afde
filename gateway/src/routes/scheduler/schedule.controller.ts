import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SchedulerCancelPost, SchedulerForcePost, SchedulerGetPost, SchedulerGetSlots, SchedulerListJobs, SchedulerNextSlots, SchedulerPatchScheduledPost, SchedulerPreviewRecurrence,
  SchedulerReschedulePost, SchedulerResolveUnknown, SchedulerRetryJob, SchedulerRun, SchedulerSchedulePost, SchedulerSetSlots, SchedulerSpacePosts,
  SchedulerStats, SchedulerUpcoming, SchedulerGetSettings, SchedulerPatchSettings,
} from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { assertOwnAccount } from './own-account';
import { ApiQueryFrom, bodyObject, queryToRequest } from './scheduler-query';

/** Scheduling: one-off, next free slot, now; publish jobs, slots, stats (seed 000/001 endpoints). */
@ApiTags('schedule')
@Controller()
export class ScheduleController {
  constructor(private readonly proxy: CommandProxy) {}

  @Post('schedule')
  @MinRole('editor')
  @ApiOperation({ summary: 'Schedule a post (postId or inline post) at a time in an IANA zone, into next free slots, or now' })
  schedule(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerSchedulePost, p, body);
  }

  @Post('schedule/post')
  @MinRole('editor')
  @ApiOperation({ summary: 'Create a scheduled post (same as POST /schedule)' })
  schedulePost(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerSchedulePost, p, body);
  }

  @Get('scheduled')
  @ApiOperation({ summary: 'All publish jobs by due time (keyset: limit, cursor; filter state, postId, due-time range from/to as ISO instants)' })
  @ApiQueryFrom(SchedulerListJobs.request)
  scheduled(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerListJobs, p, queryToRequest(q));
  }

  @Get('scheduled-posts')
  @ApiOperation({ summary: 'Scheduled posts\' jobs with status and timestamps (keyset pagination; optional from/to due-time range)' })
  @ApiQueryFrom(SchedulerListJobs.request)
  scheduledPosts(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerListJobs, p, queryToRequest(q));
  }

  @Patch('scheduled-posts/:id')
  @MinRole('editor')
  @ApiOperation({
    summary: 'Edit a scheduled post (id = post id): any of at + zone, content fields (text, title, hashtags, mediaIds, overrides, labels) and targets; absent = unchanged',
  })
  patchScheduled(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerPatchScheduledPost, p, { ...bodyObject(body), id });
  }

  @Get('schedule/upcoming')
  @ApiOperation({ summary: 'Jobs due within the next `hours` (default 24)' })
  upcoming(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerUpcoming, p, queryToRequest(q));
  }

  @Get('schedule/stats')
  @ApiOperation({ summary: 'Totals: pending, running, published, failed, posting today, published today (`zone` for "today")' })
  stats(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerStats, p, queryToRequest(q));
  }

  @Get('schedule/post/:id')
  @ApiOperation({ summary: 'One post with its jobs and history' })
  getPost(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerGetPost, p, { id });
  }

  @Patch('schedule/post/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Reschedule a post: body { at, zone }' })
  reschedule(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerReschedulePost, p, { ...bodyObject(body), id });
  }

  @Delete('schedule/post/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Cancel a post\'s unfired jobs' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerCancelPost, p, { id });
  }

  @Post('schedule/post/:id/force')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Post now: the post\'s unfired jobs fire immediately' })
  force(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerForcePost, p, { id });
  }

  @Post('schedule/jobs/:id/retry')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry a failed job' })
  retry(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerRetryJob, p, { id });
  }

  @Post('schedule/jobs/:id/resolve')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Settle an unknown outcome: { outcome: published, platformPostId, url } or { outcome: failed, note }' })
  resolve(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerResolveUnknown, p, { ...bodyObject(body), id });
  }

  @Post('schedule/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Next N occurrences of a recurrence (once, RRULE or cron) in an IANA zone' })
  preview(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerPreviewRecurrence, p, body);
  }

  @Get('schedule/settings')
  @ApiOperation({ summary: 'Workspace scheduling settings: defaultPostTimeOffsetMinutes (a new post\'s time, from now, when no slot is free)' })
  settings(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(SchedulerGetSettings, p, {});
  }

  @Patch('schedule/settings')
  @MinRole('editor')
  @ApiOperation({ summary: 'Edit workspace scheduling settings (absent = unchanged): defaultPostTimeOffsetMinutes 0–10080' })
  patchSettings(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerPatchSettings, p, bodyObject(body));
  }

  @Get('schedule/slots/:accountId')
  @ApiOperation({ summary: 'An account\'s slot times, zone and spacing' })
  async slots(@CurrentPrincipal() p: Principal, @Param('accountId') accountId: string) {
    await assertOwnAccount(this.proxy, p, accountId);
    return this.proxy.call(SchedulerGetSlots, p, { accountId });
  }

  @Put('schedule/slots/:accountId')
  @MinRole('editor')
  @ApiOperation({ summary: 'Set an account\'s slot times (HH:MM), zone and spacing in minutes' })
  async setSlots(@CurrentPrincipal() p: Principal, @Param('accountId') accountId: string, @Body() body: unknown) {
    // The body's shape is checked first: a malformed edit is refused without asking any service.
    const request = { ...bodyObject(body), accountId };
    await assertOwnAccount(this.proxy, p, accountId);
    return this.proxy.call(SchedulerSetSlots, p, request);
  }

  @Get('schedule/slots/:accountId/next')
  @ApiOperation({ summary: 'The account\'s next free slots (get_next_slot)' })
  async nextSlots(@CurrentPrincipal() p: Principal, @Param('accountId') accountId: string, @Query() q: Record<string, unknown>) {
    await assertOwnAccount(this.proxy, p, accountId);
    return this.proxy.call(SchedulerNextSlots, p, { ...queryToRequest(q), accountId });
  }

  @Post('schedule/space')
  @MinRole('editor')
  @ApiOperation({ summary: 'Spread posts across their accounts\' next free slots (space_videos)' })
  space(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerSpacePosts, p, body);
  }

  @Post('run-scheduler')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run one scheduler pass now (materialise, claim, fire what is due)' })
  run(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(SchedulerRun, p, {});
  }
}
