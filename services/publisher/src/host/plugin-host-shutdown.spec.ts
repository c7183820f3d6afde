import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '@sx/config';
import { InProcessEventBus } from '@sx/bus';
import { systemClock } from '@sx/service-kit';
import { PluginHost } from './plugin-host.service';

const FIXTURES = path.join(__dirname, '..', 'testing', 'fixtures', 'plugins');

describe('PluginHost shut down while its plugins start', () => {
  it('logs no load failure and leaves no plugin running', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    const bus = new InProcessEventBus();
    await bus.start();
    const host = new PluginHost(loadConfig({ SX_PLUGINS_DIR: FIXTURES, SX_PLUGIN_MEMORY_MB: '64' }), systemClock, bus, pino({ level: 'info' }, sink));
    try {
      const loading = host.load();
      await host.onApplicationShutdown();
      await loading;
      // Whether the shutdown came before the scan or during the starts, nothing may be left ready.
      expect(host.list().filter((p) => p.status === 'ready')).toEqual([]);
      expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    } finally {
      await host.onApplicationShutdown();
      await bus.close();
    }
  });
});
