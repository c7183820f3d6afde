import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { AuditRecorded } from '@sx/contracts';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { CLOCK, type Clock, currentCorrelationId, METRICS, newCorrelationId } from '@sx/service-kit';
import { GATEWAY_LOGGER } from '../http/gateway-logger';
import { AuditRepository, type AuditEntry } from './audit.repository';

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'correlationId'>;

/**
 * Writes one audit entry per mutation and streams it as `audit.recorded`. A failure to audit is
 * logged and counted, never turned into a failed response for a change that already happened.
 */
@Injectable()
export class AuditService {
  private readonly failures: Counter;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(METRICS) metrics: Registry,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    private readonly repo: AuditRepository,
  ) {
    this.failures =
      (metrics.getSingleMetric('sx_gateway_audit_failures_total') as Counter | undefined) ??
      new Counter({ name: 'sx_gateway_audit_failures_total', help: 'Audit entries that could not be stored or streamed', labelNames: ['stage'], registers: [metrics] });
  }

  async record(input: AuditInput): Promise<AuditEntry> {
    const entry: AuditEntry = {
      ...input,
      id: randomUUID(),
      at: this.clock.now(),
      correlationId: currentCorrelationId() ?? newCorrelationId(),
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    };
    try {
      await this.repo.insert(entry);
    } catch (e) {
      this.failures.inc({ stage: 'store' });
      this.logger.error({ err: e, action: entry.action }, 'audit entry could not be stored');
      return entry;
    }
    try {
      await this.bus.publish(
        AuditRecorded,
        {
          auditId: entry.id,
          actorId: entry.actorId,
          action: entry.action,
          target: entry.target,
          outcome: entry.outcome,
          ip: entry.ip ?? undefined,
          at: entry.at.toISOString(),
        },
        { workspaceId: entry.workspaceId, correlationId: entry.correlationId, id: entry.id },
      );
    } catch (e) {
      this.failures.inc({ stage: 'publish' });
      this.logger.warn({ err: e, auditId: entry.id }, 'audit event could not be published');
    }
    return entry;
  }

  list(...args: Parameters<AuditRepository['list']>) {
    return this.repo.list(...args);
  }
}
