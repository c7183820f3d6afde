import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { PublisherMetrics } from '../publisher.metrics';
import { loadConfig } from '@sx/config';
import { InProcessEventBus } from '@sx/bus';
import type { Envelope } from '@sx/contracts';
import { systemClock } from '@sx/service-kit';
import { OutcomeUnknownError, type ConnectResult, type ContractServer, type PublishResult } from '@sx/plugin-sdk';
import { startContractServer } from '../testing/fixtures/plugins/echo/contract-server/server';
import { PluginHost } from './plugin-host.service';
import { PluginFaultError, PluginUnavailableError } from './plugin-errors';

const FIXTURES = path.join(__dirname, '..', 'testing', 'fixtures', 'plugins');

describe('PluginHost with a hostile plugin', () => {
  let host: PluginHost;
  let bus: InProcessEventBus;
  let server: ContractServer;
  const health: Envelope[] = [];
  const registry = new Registry();

  beforeAll(async () => {
    const config = loadConfig({
      SX_PLUGINS_DIR: FIXTURES,
      SX_PLUGIN_CALL_TIMEOUT_MS: '2500',
      SX_PLUGIN_MEMORY_MB: '64',
      SX_EGRESS_ALLOW: '127.0.0.1',
    });
    bus = new InProcessEventBus();
    await bus.start();
    await bus.tail('plugin.>', (e) => health.push(e));
    host = new PluginHost(config, systemClock, bus, pino({ level: 'silent' }), { quarantineThreshold: 3, metrics: new PublisherMetrics(registry) });
    server = await startContractServer();
    await host.load();
  });
  afterAll(async () => {
    await host.onApplicationShutdown();
    await server.close();
    await bus.close();
  });

  const publishEcho = async (credentials: Record<string, unknown>, key: string) =>
    host.call<PublishResult>('echo', 'publish', { credentials, settings: { serviceUrl: server.url }, idempotencyKey: key }, [
      { text: `hello ${key}`, hashtags: [], settings: {}, media: [] },
    ]);
  const publishHostile = (mode: string) =>
    host.call('hostile', 'publish', { settings: {}, idempotencyKey: `k-${mode}` }, [{ text: 'x', hashtags: [], settings: { mode }, media: [] }]);

  it('loads both fixtures and reports them ready', () => {
    const byId = Object.fromEntries(host.list().map((p) => [p.id, p.status]));
    expect(byId).toMatchObject({ echo: 'ready', hostile: 'ready' });
  });

  it('hands media to the plugin process as files it reads through ctx.media', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sx-host-media-'));
    const file = path.join(dir, 'm1');
    await writeFile(file, 'media-bytes');
    const ref = { id: 'm1', kind: 'image' as const, mimeType: 'image/png', sizeBytes: 11 };
    const r = await host.call<PublishResult>('hostile', 'publish', { settings: {}, idempotencyKey: 'k-media', media: [{ ref, path: file }] }, [
      { text: 'x', hashtags: [], settings: { mode: 'media' }, media: [ref] },
    ]);
    expect(r.value.platformPostId).toBe('media-bytes');
  });

  it('survives an infinite loop, an OOM and process.exit, keeps echo publishing, then quarantines', async () => {
    const connected = await host.call<ConnectResult>('echo', 'connect', { settings: { serviceUrl: server.url } }, [
      { kind: 'app_password', identifier: 'alice.test', password: 'app-password' },
    ]);
    const creds = connected.value.credentials;

    // A plain throw is a classified plugin error (unknown outcome), not a process fault.
    await expect(publishHostile('throw')).rejects.toBeInstanceOf(OutcomeUnknownError);
    // Echo keeps publishing while the hostile plugin spins.
    const [loop, echo] = await Promise.allSettled([publishHostile('loop'), publishEcho(creds, 'during-loop')]);
    expect(loop.status === 'rejected' && loop.reason).toBeInstanceOf(PluginFaultError);
    expect((loop as PromiseRejectedResult).reason.fault).toBe('timeout');
    expect(echo.status).toBe('fulfilled');

    const oom = await publishHostile('oom').catch((e: PluginFaultError) => e);
    expect(oom).toBeInstanceOf(PluginFaultError);
    expect((oom as PluginFaultError).fault).toMatch(/memory|crash/);

    const exit = await publishHostile('exit').catch((e: PluginFaultError) => e);
    expect(exit).toBeInstanceOf(PluginFaultError);

    expect(host.list().find((p) => p.id === 'hostile')).toMatchObject({ status: 'quarantined' });
    await expect(publishHostile('none')).rejects.toBeInstanceOf(PluginUnavailableError);
    expect(health.some((e) => (e.data as { pluginId: string; status: string }).pluginId === 'hostile' && (e.data as { status: string }).status === 'quarantined')).toBe(true);

    const faults = await registry.getSingleMetric('sx_plugin_faults_total')?.get();
    expect(faults?.values.filter((v) => v.labels['plugin'] === 'hostile').reduce((n, v) => n + v.value, 0)).toBe(3);

    const after = await publishEcho(creds, 'after-quarantine');
    expect(after.value.platformPostId).toEqual(expect.any(String));
    expect(server.posts().map((p) => p.key)).toEqual(['during-loop', 'after-quarantine']);
  });
});
