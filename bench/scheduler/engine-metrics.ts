import type { Registry } from 'prom-client';

const LATENESS = 'sx_scheduler_dispatch_lateness_seconds';

/**
 * Upper bucket bound (ms) under which fraction `q` of the engine's own lateness observations fall
 * (fire → publish acknowledged, from the dispatcher's Prometheus histogram): a breakdown of where
 * the end-to-end lateness is spent. Undefined when nothing was observed.
 */
export async function engineLatenessBound(registry: Registry, q: number): Promise<number | undefined> {
  const metric = registry.getSingleMetric(LATENESS);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const buckets = new Map<number, number>();
  for (const v of values) {
    // prom-client fills metricName on histogram values at run time; its typings leave it out.
    if (!('metricName' in v) || v.metricName !== `${LATENESS}_bucket`) continue;
    const le = v.labels['le'];
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + v.value);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const hit = sorted.find(([, cumulative]) => cumulative >= q * total);
  return hit ? hit[0] * 1000 : undefined;
}
