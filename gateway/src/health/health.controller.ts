import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { SERVICE_HEALTH_COMMANDS, type ServiceHealthReport } from '@sx/contracts';
import { HealthRegistry, newCorrelationId, currentCorrelationId, type ReadinessReport } from '@sx/service-kit';
import { Public } from '../auth/roles.decorator';

const SERVICE_TIMEOUT_MS = 1_500;

export interface ServiceStatus {
  ok: boolean;
  detail?: string;
  checks?: ServiceHealthReport['checks'];
}

/**
 * Aggregated status: this process's HealthRegistry (in embedded mode it holds every component)
 * plus, in distributed mode, each service asked over the bus (`cmd.<service>.health`); a service
 * that does not answer within 1.5 s is reported unavailable. 200 when all is ready, else 503.
 */
@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly registry: HealthRegistry,
  ) {}

  /** Public, like /health and /ready: component states only, nothing about any workspace. */
  @Public()
  @Get()
  async status(@Res() res: Response): Promise<void> {
    const [local, services] = await Promise.all([this.registry.report(), this.services()]);
    const ok = local.ok && Object.values(services).every((s) => s.ok);
    const body: { status: 'ok' | 'degraded'; mode: AppConfig['mode']; checks: ReadinessReport['checks']; services: Record<string, ServiceStatus> } = {
      status: ok ? 'ok' : 'degraded',
      mode: this.config.mode,
      checks: local.checks,
      services,
    };
    res.status(ok ? 200 : 503).json(body);
  }

  private async services(): Promise<Record<string, ServiceStatus>> {
    if (this.config.mode !== 'distributed') return {};
    const correlationId = currentCorrelationId() ?? newCorrelationId();
    const entries = await Promise.all(
      Object.entries(SERVICE_HEALTH_COMMANDS).map(async ([name, def]) => {
        const reply = await this.bus
          .request(def, {}, { workspaceId: 'system', actorId: 'gateway', role: 'system', correlationId }, { timeoutMs: SERVICE_TIMEOUT_MS })
          .catch((e: unknown) => ({ ok: false as const, error: { message: e instanceof Error ? e.message : String(e) } }));
        const status: ServiceStatus = reply.ok
          ? { ok: reply.data.ok, checks: reply.data.checks }
          : { ok: false, detail: reply.error.message };
        return [name, status] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
}
