import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  commandContextSchema,
  type CommandDefinition,
  type CommandReply,
  type CommandRequest,
  type CommandResponse,
} from '@sx/contracts';
import { AppError, runWithCorrelation } from '@sx/service-kit';
import type { CommandHandler } from '../event-bus';
import type { BusLogger } from './logger';

/** Wire shape of a command request on any driver. */
export const commandWireSchema = z.object({ request: z.unknown(), ctx: z.unknown() });

/** The reply a caller gets when nobody answered in time (timeout or no responders). */
export function serviceUnavailable<T>(def: CommandDefinition, timeoutMs: number): CommandReply<T> {
  return {
    ok: false,
    error: {
      code: 'service_unavailable',
      status: 503,
      message: `${def.service} did not answer ${def.subject} within ${timeoutMs} ms`,
    },
  };
}

/**
 * Validates a raw command, runs the handler inside the caller's correlation scope and turns every outcome
 * into a reply: AppError -> its coded error; anything else -> `internal_error` with an opaque error id only.
 */
export async function executeCommand<D extends CommandDefinition>(
  def: D,
  handler: CommandHandler<D>,
  raw: unknown,
  logger: BusLogger,
): Promise<CommandReply<CommandResponse<D>>> {
  const wire = commandWireSchema.safeParse(raw);
  const ctx = commandContextSchema.safeParse(wire.success ? wire.data.ctx : undefined);
  if (!wire.success || !ctx.success) {
    return { ok: false, error: AppError.validation(`malformed ${def.subject} command (context missing or invalid)`).toCommandError() };
  }
  const request = def.request.safeParse(wire.data.request);
  if (!request.success) {
    const issues = request.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { ok: false, error: AppError.validation(`invalid ${def.subject} request`, { issues }).toCommandError() };
  }
  return runWithCorrelation(ctx.data.correlationId, async () => {
    try {
      const reply = await handler(request.data as CommandRequest<D>, ctx.data);
      if (!reply.ok) return reply;
      const data = def.response.safeParse(reply.data);
      if (data.success) return { ok: true, data: data.data as CommandResponse<D> };
      return internalError(logger, def, new Error('handler returned a response that fails the response schema'));
    } catch (e: unknown) {
      if (e instanceof AppError) return { ok: false, error: e.toCommandError() };
      return internalError(logger, def, e);
    }
  });
}

function internalError<T>(logger: BusLogger, def: CommandDefinition, e: unknown): CommandReply<T> {
  const errorId = randomUUID();
  logger.error({ errorId, subject: def.subject, err: e instanceof Error ? e.message : String(e) }, 'command handler failed');
  return { ok: false, error: { code: 'internal_error', status: 500, message: `internal error (id ${errorId})` } };
}
