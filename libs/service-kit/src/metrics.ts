import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS = Symbol('METRICS');

/** One Prometheus registry per process; services add their own metrics to it. */
export function createMetricsRegistry(defaultLabels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(defaultLabels);
  collectDefaultMetrics({ register: registry });
  return registry;
}
