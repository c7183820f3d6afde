import { Counter, Histogram, type Registry } from 'prom-client';

export type IngestOutcome = 'ready' | 'duplicate' | 'rejected';

/** media_ingest_total{outcome} and media_ingest_seconds{outcome}. */
export class IngestMetrics {
  private readonly total: Counter<'outcome'>;
  private readonly seconds: Histogram<'outcome'>;

  constructor(registry: Registry) {
    this.total =
      (registry.getSingleMetric('media_ingest_total') as Counter<'outcome'> | undefined) ??
      new Counter({ name: 'media_ingest_total', help: 'Media ingests by outcome', labelNames: ['outcome'], registers: [registry] });
    this.seconds =
      (registry.getSingleMetric('media_ingest_seconds') as Histogram<'outcome'> | undefined) ??
      new Histogram({
        name: 'media_ingest_seconds',
        help: 'Time to validate, probe and store one media file',
        labelNames: ['outcome'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      });
  }

  observe(outcome: IngestOutcome, ms: number): void {
    this.total.inc({ outcome });
    this.seconds.observe({ outcome }, ms / 1000);
  }
}
