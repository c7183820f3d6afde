import { z } from 'zod';

/** Every event on the bus travels in this envelope; `id` doubles as the Nats-Msg-Id for dedupe. */
export const envelopeSchema = z.object({
  id: z.string().min(1),
  subject: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  workspaceId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().optional(),
  data: z.unknown(),
});
export type Envelope<T = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: T };

/** Coded error carried by command replies; the gateway maps `status` to HTTP. */
export const commandErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  status: z.number().int().min(400).max(599),
  details: z.unknown().optional(),
});
export type CommandError = z.infer<typeof commandErrorSchema>;

export type CommandReply<T> = { ok: true; data: T } | { ok: false; error: CommandError };

/** Context every command request carries: who asks, for which workspace, and the trace id. */
export const commandContextSchema = z.object({
  workspaceId: z.string().min(1),
  actorId: z.string().min(1),
  role: z.enum(['admin', 'editor', 'viewer', 'system']),
  correlationId: z.string().min(1),
});
export type CommandContext = z.infer<typeof commandContextSchema>;
