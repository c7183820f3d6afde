import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { CommandDefinition, CommandRequest, CommandResponse } from '@sx/contracts';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { currentCorrelationId, newCorrelationId } from '@sx/service-kit';
import type { Principal } from '../auth/principal';

/**
 * The gateway's one way to reach a service: validate the request against the command's schema,
 * send it over the bus with the caller's workspace and role, and turn a coded error reply into
 * the HTTP error shape `{ code, message, details?, correlationId }`. A service that does not
 * answer in time becomes a 503 naming it (the bus reply does that).
 */
@Injectable()
export class CommandProxy {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  async call<D extends CommandDefinition>(
    def: D,
    principal: Principal,
    request: unknown,
    opts: { timeoutMs?: number } = {},
  ): Promise<CommandResponse<D>> {
    const correlationId = currentCorrelationId() ?? newCorrelationId();
    const parsed = def.request.safeParse(request);
    if (!parsed.success) {
      throw new HttpException(
        {
          code: 'validation_failed',
          message: 'The request is not valid',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          correlationId,
        },
        422,
      );
    }
    const reply = await this.bus.request(
      def,
      parsed.data as CommandRequest<D>,
      { workspaceId: principal.workspaceId, actorId: principal.userId, role: principal.role, correlationId },
      opts,
    );
    if (!reply.ok) {
      const { code, message, details, status } = reply.error;
      throw new HttpException({ code, message, details, correlationId }, status);
    }
    return reply.data;
  }
}
