import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { InProcessEventBus } from '@sx/bus';
import { loadConfig } from '@sx/config';
import { systemClock } from '@sx/service-kit';
import { PluginHost } from './plugin-host.service';
import { scanPluginsDir } from './plugin-scanner';

const manifest = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  version: '1.0.0',
  contractVersion: '1.0.0',
  platform: id,
  auth: { kind: 'none' },
  capabilities: ['text'],
  text: { maxLength: 10, counting: 'graphemes' },
  media: { maxItems: 0 },
  credentialsSchema: { type: 'object', properties: {} },
  ...extra,
});

const plugin = 'module.exports = { validate: () => ({ ok: true, violations: [] }), publish: async () => ({}), connect: async () => ({}) };';

async function writePlugin(dir: string, folder: string, pkg: unknown, files: Record<string, string> = {}): Promise<void> {
  await mkdir(path.join(dir, folder), { recursive: true });
  await writeFile(path.join(dir, folder, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, folder, name), text);
}

describe('plugin discovery', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sx-plugins-'));
    await writePlugin(dir, 'good', { name: '@sx-plugin/good', main: 'index.js', schedulerx: manifest('good') }, { 'index.js': plugin });
    await writePlugin(dir, 'badjson', '{ not json');
    await writePlugin(dir, 'nomanifest', { name: '@sx-plugin/nomanifest' });
    await writePlugin(dir, 'invalid', { name: '@sx-plugin/invalid', schedulerx: manifest('invalid', { capabilities: ['teleport'] }) });
    await writePlugin(dir, 'future', { name: '@sx-plugin/future', main: 'index.js', schedulerx: manifest('future', { contractVersion: '2.0.0' }) }, { 'index.js': plugin });
    await writePlugin(dir, 'escape', { name: '@sx-plugin/escape', main: '../good/index.js', schedulerx: manifest('escape') });
    await writePlugin(dir, 'throws', { name: '@sx-plugin/throws', main: 'index.js', schedulerx: manifest('throws') }, { 'index.js': 'throw new Error("boom at load")' });
    await writePlugin(dir, 'undeclared', { name: '@sx-plugin/undeclared', main: 'index.js', schedulerx: manifest('undeclared') }, {
      'index.js': plugin.replace('connect:', 'deletePost: async () => undefined, connect:'),
    });
    await writePlugin(dir, 'zz-dup', { name: '@sx-plugin/good', main: 'index.js', schedulerx: manifest('good') }, { 'index.js': plugin });
    await mkdir(path.join(dir, 'not-a-plugin'));
  });

  it('reports every bad folder with its reason and never throws', async () => {
    const found = Object.fromEntries((await scanPluginsDir(dir)).map((c) => [path.basename(c.folder), c.problems.join('; ')]));
    expect(found['good']).toBe('');
    expect(found['badjson']).toMatch(/not valid JSON/);
    expect(found['nomanifest']).toMatch(/no "schedulerx" manifest/);
    expect(found['invalid']).toMatch(/^manifest capabilities\.0/);
    expect(found['future']).toMatch(/contract 2\.0\.0 is not compatible/);
    expect(found['escape']).toMatch(/must point inside the plugin folder/);
    expect(found['zz-dup']).toMatch(/duplicate plugin id "good"/);
    expect(found['not-a-plugin']).toBeUndefined();
    expect(await scanPluginsDir(path.join(dir, 'missing'))).toEqual([]);
  });

  it('the host loads the good plugin and lists the others as failed with the load error', async () => {
    const bus = new InProcessEventBus();
    await bus.start();
    const host = new PluginHost(loadConfig({ SX_PLUGINS_DIR: dir }), systemClock, bus, pino({ level: 'silent' }));
    try {
      await host.load();
      const byFolder = Object.fromEntries(host.list().map((p) => [p.folder, p]));
      expect(byFolder['good']).toMatchObject({ status: 'ready', capabilities: ['text'] });
      expect(byFolder['throws']).toMatchObject({ status: 'failed', reason: expect.stringMatching(/entry failed to load: boom at load/) });
      expect(byFolder['undeclared']).toMatchObject({ status: 'failed', reason: expect.stringMatching(/capability "delete" is not declared/) });
      expect(byFolder['badjson'].status).toBe('failed');
      expect(host.list().filter((p) => p.status === 'ready')).toHaveLength(1);
    } finally {
      await host.onApplicationShutdown();
      await bus.close();
    }
  });
});
