import { z } from 'zod';
import { defineCommand } from '../define';

/** Readiness of one service process, as its HealthRegistry reports it. */
export const serviceHealthSchema = z.object({
  ok: z.boolean(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), component: z.string(), detail: z.string().optional() })),
});
export type ServiceHealthReport = z.infer<typeof serviceHealthSchema>;

/**
 * `cmd.<service>.health`: asked by the gateway's GET /api/health in distributed mode. Every service
 * answers with its HealthRegistry report; one that does not answer is shown as unavailable.
 */
export const MediaHealth = defineCommand('media', 'health', z.object({}), serviceHealthSchema);
export const PipelineHealth = defineCommand('pipeline', 'health', z.object({}), serviceHealthSchema);
export const SchedulerHealth = defineCommand('scheduler', 'health', z.object({}), serviceHealthSchema);
export const PublisherHealth = defineCommand('publisher', 'health', z.object({}), serviceHealthSchema);
export const AiHealth = defineCommand('ai', 'health', z.object({}), serviceHealthSchema);

/** Health command of each distributed service, keyed by the service's SX_SERVICE name. */
export const SERVICE_HEALTH_COMMANDS = {
  media: MediaHealth,
  pipeline: PipelineHealth,
  scheduler: SchedulerHealth,
  publisher: PublisherHealth,
  'ai-templates': AiHealth,
} as const;

/** One line of a service's log as the Logs panel shows it (secrets already removed by the service). */
export const logLineSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
  service: z.string(),
  msg: z.string(),
  correlationId: z.string().optional(),
  context: z.string().optional(),
  err: z.string().optional(),
});
export type LogLineView = z.infer<typeof logLineSchema>;

export const logsRequestSchema = z.object({
  afterSeq: z.coerce.number().int().min(0).optional(),
  minLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).optional(),
  correlationId: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/**
 * `cmd.<service>.logs`: the recent lines of that service process's bounded log ring, after a cursor
 * (`seq` is per process; `lastSeq` is the cursor to ask with next).
 */
const logsCommand = <S extends string>(service: S) =>
  defineCommand(service, 'logs', logsRequestSchema, z.object({ items: z.array(logLineSchema), lastSeq: z.number().int() }));
export const SchedulerLogs = logsCommand('scheduler');
export const PublisherLogs = logsCommand('publisher');
export const PipelineLogs = logsCommand('pipeline');

/** The services whose logs the Logs panel shows. */
export const SERVICE_LOGS_COMMANDS = { scheduler: SchedulerLogs, publisher: PublisherLogs, pipeline: PipelineLogs } as const;
export type LoggedService = keyof typeof SERVICE_LOGS_COMMANDS;
