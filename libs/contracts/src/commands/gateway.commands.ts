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
