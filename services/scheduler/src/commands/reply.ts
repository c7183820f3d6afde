import type { CommandContext, CommandReply } from '@sx/contracts';
import type { Tenant } from '../db/rows';

export const ok = <T>(data: T): CommandReply<T> => ({ ok: true, data });

/** The tenant of a command: every query a handler starts is scoped to the caller's workspace. */
export const tenantOf = (ctx: CommandContext): Tenant & { actorId: string; correlationId: string } => ({
  workspaceId: ctx.workspaceId,
  actorId: ctx.actorId,
  correlationId: ctx.correlationId,
});
