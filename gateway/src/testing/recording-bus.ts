import type { CommandContext, CommandDefinition, CommandReply, CommandRequest, CommandResponse } from '@sx/contracts';
import { InProcessEventBus, type RequestOptions } from '@sx/bus';

export interface RecordedRequest {
  subject: string;
  request: unknown;
  ctx: CommandContext;
}

/** The real in-process bus, remembering every command request the gateway sends through it. */
export class RecordingBus extends InProcessEventBus {
  readonly requests: RecordedRequest[] = [];

  override async request<D extends CommandDefinition>(
    def: D,
    request: CommandRequest<D>,
    ctx: CommandContext,
    opts?: RequestOptions,
  ): Promise<CommandReply<CommandResponse<D>>> {
    this.requests.push({ subject: def.subject, request, ctx });
    return super.request(def, request, ctx, opts);
  }
}
