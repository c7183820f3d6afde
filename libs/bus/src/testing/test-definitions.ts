import { z } from 'zod';
import { defineCommand, defineEvent } from '@sx/contracts';

/** Events only the bus's own tests publish; `audit.bustest.<case>` lands in the AUDIT stream. */
export const BusTestEvent = defineEvent(
  'audit.bustest.*',
  1,
  'AUDIT',
  z.object({ n: z.number().int(), note: z.string().optional() }),
);

/** A work-queue event for the DISPATCH stream. */
export const BusTestDispatch = defineEvent('dispatch.*', 1, 'DISPATCH', z.object({ jobId: z.string().min(1) }));

export const BusTestEcho = defineCommand(
  'bustest',
  'echo',
  z.object({ text: z.string().min(1), mode: z.enum(['echo', 'app_error', 'crash', 'hang', 'bad_reply']).default('echo') }),
  z.object({ text: z.string(), correlationId: z.string().optional() }),
);
