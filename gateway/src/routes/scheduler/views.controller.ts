import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SchedulerCalendarRange, SchedulerPostFeed } from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { ApiQueryFrom, queryToRequest } from './scheduler-query';

/** The dashboard's schedule read models: a keyset post list and a lean calendar range. */
@ApiTags('schedule')
@Controller()
export class ViewsController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get('schedule/feed')
  @ApiOperation({ summary: 'Posts with their current jobs by due time (keyset: limit, cursor; filters status, platform, q, includeDeleted; `total` counts every match)' })
  @ApiQueryFrom(SchedulerPostFeed.request)
  feed(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerPostFeed, p, queryToRequest(q));
  }

  @Get('schedule/calendar')
  @ApiOperation({ summary: 'Calendar chips (post, due instant, status, label, platforms) with a due time in [from, to]; at most 45 days' })
  @ApiQueryFrom(SchedulerCalendarRange.request)
  calendar(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerCalendarRange, p, queryToRequest(q));
  }
}
