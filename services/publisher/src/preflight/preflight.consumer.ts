import { Inject, Injectable } from '@nestjs/common';
import { OnCommand } from '@sx/bus';
import { PublisherPreflight, type CommandContext, type CommandReply, type CommandRequest, type CommandResponse } from '@sx/contracts';
import { PreflightService } from './preflight.service';

/** `cmd.publisher.preflight`: asked by the scheduler before it stores or re-plans anything that publishes. */
@Injectable()
export class PreflightConsumer {
  constructor(@Inject(PreflightService) private readonly preflight: PreflightService) {}

  @OnCommand(PublisherPreflight)
  async check(r: CommandRequest<typeof PublisherPreflight>, ctx: CommandContext): Promise<CommandReply<CommandResponse<typeof PublisherPreflight>>> {
    return { ok: true, data: await this.preflight.check(ctx, r) };
  }
}
