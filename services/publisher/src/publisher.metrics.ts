import { Counter, type Registry } from 'prom-client';

/** The publisher's Prometheus metrics (registered once per process registry). */
export class PublisherMetrics {
  readonly outcomes: Counter<'status' | 'platform'>;
  readonly pluginFaults: Counter<'plugin' | 'kind'>;
  readonly refreshes: Counter<'plugin'>;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.outcomes = new Counter({
      name: 'sx_publisher_outcomes_total',
      help: 'Finished publish attempts by outcome (published, retrying, failed, unknown)',
      labelNames: ['status', 'platform'],
      registers,
    });
    this.pluginFaults = new Counter({
      name: 'sx_plugin_faults_total',
      help: 'Plugin process faults (crash, timeout, memory)',
      labelNames: ['plugin', 'kind'],
      registers,
    });
    this.refreshes = new Counter({
      name: 'sx_publisher_token_refreshes_total',
      help: 'Credential refreshes performed (single flight per account)',
      labelNames: ['plugin'],
      registers,
    });
  }
}
