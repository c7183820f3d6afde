import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { AuditRecorded } from '@sx/contracts';
import { appendToOutbox, buildEnvelope } from '@sx/bus';
import { CLOCK, type Clock, currentCorrelationId, METRICS, newCorrelationId } from '@sx/service-kit';
import { GATEWAY_SCHEMA, GatewayDb } from '../db/gateway-db';
import { GATEWAY_LOGGER, loggableError } from '../http/gateway-logger';
import { AuditRepository, type AuditEntry } from './audit.repository';

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'correlationId'>;

/**
 * Writes one audit entry per mutation and, in the same transaction, its `audit.recorded` event to
 * the gateway's outbox (the relay publishes it), so the stream never misses or invents an entry.
 * A failure to audit is logged and counted, never turned into a failed response for a change
 * that already happened.
 */
@Injectable()
export class AuditService {
  private readonly failures: Counter;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) metrics: Registry,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    private readonly db: GatewayDb,
    private readonly repo: AuditRepository,
  ) {
    this.failures =
      (metrics.getSingleMetric('sx_gateway_audit_failures_total') as Counter | undefined) ??
      new Counter({ name: 'sx_gateway_audit_failures_total', help: 'Audit entries that could not be stored', registers: [metrics] });
  }

  async record(input: AuditInput): Promise<AuditEntry> {
    const entry: AuditEntry = {
      ...input,
      id: randomUUID(),
      at: this.clock.now(),
      correlationId: currentCorrelationId() ?? newCorrelationId(),
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    };
    const envelope = buildEnvelope(
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
      this.clock,
    );
    try {
      await this.db.transaction(async (tx) => {
        await this.repo.insert(entry, tx);
        await appendToOutbox(tx, GATEWAY_SCHEMA, envelope);
      });
    } catch (e) {
      this.failures.inc();
      this.logger.error({ err: loggableError(e), action: entry.action }, 'audit entry could not be stored');
    }
    return entry;
  }

  list(...args: Parameters<AuditRepository['list']>) {
    return this.repo.list(...args);
  }
}
