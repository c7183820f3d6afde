import { DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { CLOCK, type Clock } from './clock';
import { HealthRegistry } from './health-registry';
import { METRICS } from './metrics';
import { ObservabilityController } from './observability.controller';

export interface CoreModuleOptions {
  config: AppConfig;
  clock: Clock;
  metrics: Registry;
  /** Process-wide infrastructure built by the composition root (bus, storage, ...). */
  providers?: Provider[];
}

/**
 * Global providers every service module relies on: config, clock, metrics, health registry,
 * plus whatever infrastructure the composition root hands in. Serves /health, /ready, /metrics.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: CoreModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: opts.config },
      { provide: CLOCK, useValue: opts.clock },
      { provide: METRICS, useValue: opts.metrics },
      HealthRegistry,
      ...(opts.providers ?? []),
    ];
    return {
      module: CoreModule,
      controllers: [ObservabilityController],
      providers,
      exports: providers.map((p) => (typeof p === 'function' ? p : (p as { provide: unknown }).provide)) as never[],
    };
  }
}
