import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface SchedulerMetrics {
  lateness: Histogram<'kind'>;
  dispatched: Counter<'kind'>;
  skipped: Counter;
  armed: Gauge;
  alerts: Counter;
}

/** Lateness buckets (seconds): fine below 100 ms, where the dispatch target lives; coarse for downtime. */
const LATENESS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Scheduler metrics on the process registry; several dispatchers in one process share them. */
export function schedulerMetrics(registry: Registry): SchedulerMetrics {
  const registers = [registry];
  return {
    lateness: reuse(registry, 'sx_scheduler_dispatch_lateness_seconds', () =>
      new Histogram({ name: 'sx_scheduler_dispatch_lateness_seconds', help: 'Fire time minus due time of dispatched jobs', labelNames: ['kind'], buckets: LATENESS_BUCKETS, registers }),
    ),
    dispatched: reuse(registry, 'sx_scheduler_dispatched_total', () =>
      new Counter({ name: 'sx_scheduler_dispatched_total', help: 'Jobs dispatched', labelNames: ['kind'], registers }),
    ),
    skipped: reuse(registry, 'sx_scheduler_skipped_total', () =>
      new Counter({ name: 'sx_scheduler_skipped_total', help: 'Occurrences skipped by the catch-up policy', registers }),
    ),
    armed: reuse(registry, 'sx_scheduler_armed_jobs', () => new Gauge({ name: 'sx_scheduler_armed_jobs', help: 'Jobs armed in this replica\'s timer heap', registers })),
    alerts: reuse(registry, 'sx_scheduler_late_alerts_total', () =>
      new Counter({ name: 'sx_scheduler_late_alerts_total', help: 'job_late alerts raised by the watchdog', registers }),
    ),
  };
}
