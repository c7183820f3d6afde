import { z } from 'zod';
import { defineEvent } from '../define';
import { idSchema } from '../common';

export const AuditRecorded = defineEvent(
  'audit.recorded',
  1,
  'AUDIT',
  z.object({
    auditId: idSchema,
    actorId: z.string(),
    action: z.string(),
    target: z.string(),
    outcome: z.enum(['success', 'denied', 'error']),
    ip: z.string().optional(),
    at: z.iso.datetime(),
  }),
);
export const AlertRaised = defineEvent(
  'alert.raised',
  1,
  'ALERTS',
  z.object({
    alertId: idSchema,
    kind: z.enum(['job_late', 'plugin_quarantined', 'dead_letter', 'token_expiring']),
    severity: z.enum(['info', 'warning', 'critical']),
    message: z.string(),
    ref: z.record(z.string(), z.string()).default({}),
  }),
);
export const PluginHealthChanged = defineEvent(
  'plugin.health.changed',
  1,
  'PLUGINS',
  z.object({ pluginId: z.string(), status: z.enum(['ready', 'failed', 'quarantined']), reason: z.string().optional() }),
);
