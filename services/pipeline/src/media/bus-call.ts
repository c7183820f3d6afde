import type { EventBus } from '@sx/bus';
import type { CommandContext, CommandDefinition, CommandError, CommandRequest, CommandResponse } from '@sx/contracts';

/** A coded error reply from another service, kept intact so callers can pass it on or classify it. */
export class ServiceCallError extends Error {
  constructor(
    readonly subject: string,
    readonly error: CommandError,
  ) {
    super(`${subject}: ${error.code} — ${error.message}`);
    this.name = 'ServiceCallError';
  }

  /** 4xx other than 429: repeating the call will not help. */
  get permanent(): boolean {
    return this.error.status < 500 && this.error.status !== 429;
  }
}

/** Calls another service's command as the pipeline itself (role `system`) in the caller's workspace. */
export async function callService<D extends CommandDefinition>(
  bus: EventBus,
  scope: { workspaceId: string; correlationId: string },
  def: D,
  req: CommandRequest<D>,
  timeoutMs = 90_000,
): Promise<CommandResponse<D>> {
  const ctx: CommandContext = { workspaceId: scope.workspaceId, actorId: 'system:pipeline', role: 'system', correlationId: scope.correlationId };
  const reply = await bus.request(def, req, ctx, { timeoutMs });
  if (!reply.ok) throw new ServiceCallError(def.subject, reply.error);
  return reply.data;
}
