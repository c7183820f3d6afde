import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SchedulerListDeadLetters, SchedulerReplayDeadLetter } from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { jsonSchemaOf } from '../../http/zod.pipe';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { queryToRequest } from './scheduler-query';

/** Messages the bus gave up on (after its deliveries, or refused as invalid): listed and replayed per workspace. */
@ApiTags('dead-letters')
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get()
  @ApiOperation({ summary: 'Dead letters of this workspace, oldest first (limit ≤ 500), with the job each is about' })
  @ApiOkResponse({ schema: jsonSchemaOf(SchedulerListDeadLetters.response) })
  list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerListDeadLetters, p, queryToRequest(q));
  }

  @Post(':id/replay')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a dead letter back on the bus; the job it is about goes back in flight (dispatched / publishing)' })
  @ApiOkResponse({ schema: jsonSchemaOf(SchedulerReplayDeadLetter.response) })
  replay(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerReplayDeadLetter, p, { id });
  }
}
