import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { HealthRegistry } from './health-registry';
import { METRICS } from './metrics';

/** Liveness, readiness and Prometheus metrics, outside the /api prefix. */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthRegistry,
    @Inject(METRICS) private readonly metrics: Registry,
  ) {}

  @Get('health')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await this.health.report();
    res.status(report.ok ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    return this.metrics.metrics();
  }
}
