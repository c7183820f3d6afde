import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { PluginHealthChanged, type PluginInfo } from '@sx/contracts';
import { CLOCK, type Clock } from '@sx/service-kit';
import type { PluginManifest } from '@sx/plugin-sdk';
import { PUBLISHER_LOGGER } from '../publisher.tokens';
import type { PublisherMetrics } from '../publisher.metrics';
import type { PluginMethod, WireCallContext } from './child/ipc-protocol';
import { FaultTracker } from './fault-tracker';
import { PluginFaultError, PluginUnavailableError } from './plugin-errors';
import { defaultBootstrapPath, PluginProcess, type CallOutcome, type FaultKind } from './plugin-process';
import { scanPluginsDir } from './plugin-scanner';

export const PLUGIN_HOST_OPTIONS = Symbol('PLUGIN_HOST_OPTIONS');

export interface PluginHostOptions {
  metrics?: PublisherMetrics;
  /** Faults within `quarantineWindowMs` that quarantine a plugin (default 3 in 10 min). */
  quarantineThreshold?: number;
  quarantineWindowMs?: number;
  sdkEntry?: string;
  bootstrapPath?: string;
}

interface LoadedPlugin {
  id: string;
  folder: string;
  status: 'ready' | 'failed' | 'quarantined';
  reason?: string;
  manifest?: PluginManifest;
  process?: PluginProcess;
}

/**
 * Scans the plugins directory, starts one child process per valid plugin, routes calls to it and
 * quarantines a plugin after repeated faults. Nothing a plugin does can stop the host.
 */
@Injectable()
export class PluginHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly faults: FaultTracker;
  private loaded?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(PUBLISHER_LOGGER) private readonly logger: Logger,
    @Optional() @Inject(PLUGIN_HOST_OPTIONS) private readonly opts: PluginHostOptions = {},
  ) {
    this.faults = new FaultTracker(opts.quarantineThreshold ?? 3, opts.quarantineWindowMs ?? 10 * 60_000);
  }

  /** Scans and starts every plugin (once); later callers wait for the same load. */
  load(): Promise<void> {
    this.loaded ??= this.scanAndStart();
    return this.loaded;
  }

  list(): PluginInfo[] {
    return [...this.plugins.values()].map((p) => ({
      id: p.id,
      folder: path.basename(p.folder),
      status: p.status,
      reason: p.reason,
      name: p.manifest?.name,
      version: p.manifest?.version,
      platform: p.manifest?.platform,
      authKind: p.manifest?.auth.kind,
      capabilities: p.manifest?.capabilities ?? [],
      manifest: p.manifest as Record<string, unknown> | undefined,
    }));
  }

  /** The manifest of a plugin that is ready; throws PluginUnavailableError otherwise. */
  manifest(pluginId: string): PluginManifest {
    const p = this.plugins.get(pluginId);
    if (!p?.manifest || p.status !== 'ready') throw new PluginUnavailableError(pluginId, p?.reason ?? 'not installed');
    return p.manifest;
  }

  async call<T>(pluginId: string, method: PluginMethod, ctx: WireCallContext, args: unknown[] = [], timeoutMs?: number): Promise<CallOutcome<T>> {
    await this.load();
    const p = this.plugins.get(pluginId);
    if (!p?.process || p.status !== 'ready') throw new PluginUnavailableError(pluginId, p?.reason ?? 'not installed');
    try {
      return await p.process.call<T>(method, ctx, args, timeoutMs);
    } catch (e) {
      if (e instanceof PluginFaultError && p.status === 'ready') this.logger.warn({ pluginId, fault: e.fault }, 'plugin call faulted');
      throw e;
    }
  }

  /** Starts loading at boot without holding it up; every call waits for the load. */
  onApplicationBootstrap(): void {
    void this.load();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.plugins.values()].map((p) => p.process?.stop()));
  }

  private async scanAndStart(): Promise<void> {
    const dir = this.config.plugins.dir;
    const candidates = await scanPluginsDir(dir);
    const sdkEntry = this.opts.sdkEntry ?? findSdkEntry();
    await Promise.all(
      candidates.map(async (c) => {
        if (this.stopping) return;
        const p: LoadedPlugin = { id: c.id, folder: c.folder, status: 'failed', manifest: c.manifest };
        this.plugins.set(c.id + (c.problems.length && this.plugins.has(c.id) ? `@${path.basename(c.folder)}` : ''), p);
        if (c.problems.length || !c.manifest || !c.entry) return this.markFailed(p, c.problems.join('; '));
        p.process = new PluginProcess({
          pluginId: c.id,
          folder: c.folder,
          entry: c.entry,
          manifest: c.rawManifest,
          bootstrapPath: this.opts.bootstrapPath ?? defaultBootstrapPath(),
          sdkEntry,
          memoryMb: this.config.plugins.memoryMb,
          callTimeoutMs: this.config.plugins.callTimeoutMs,
          egressAllow: this.config.egress.allow,
          nowMs: () => this.clock.nowMs(),
          onFault: (kind, detail) => this.onFault(p, kind, detail),
          onLog: (level, msg, fields) => this.logger[level]({ pluginId: c.id, plugin: fields }, msg),
        });
        const problems = await p.process.start();
        if (this.stopping) {
          // Shut down while it started: its process was killed (not a failure to load) or must be now.
          await p.process.stop();
          p.process = undefined;
          return this.logger.info({ pluginId: c.id }, 'plugin start ended by shutdown');
        }
        if (problems.length) return this.markFailed(p, problems.join('; '));
        p.status = 'ready';
        this.logger.info({ pluginId: c.id, version: c.manifest.version }, 'plugin loaded');
        await this.emitHealth(p);
      }),
    );
    this.logger.info({ dir, plugins: this.list().map((p) => `${p.id}:${p.status}`) }, 'plugins scanned');
  }

  private async markFailed(p: LoadedPlugin, reason: string): Promise<void> {
    p.status = 'failed';
    p.reason = reason;
    p.process = undefined;
    this.logger.error({ pluginId: p.id, folder: p.folder, reason }, 'plugin failed to load');
    await this.emitHealth(p);
  }

  private onFault(p: LoadedPlugin, kind: FaultKind, detail: string): void {
    this.logger.warn({ pluginId: p.id, kind, detail }, 'plugin fault');
    this.opts.metrics?.pluginFaults.inc({ plugin: p.id, kind });
    if (p.status !== 'ready' || !this.faults.record(p.id, this.clock.nowMs())) return;
    p.status = 'quarantined';
    p.reason = `quarantined after ${this.faults.count(p.id)} faults (last: ${kind}: ${detail})`;
    const proc = p.process;
    p.process = undefined;
    void proc?.stop();
    this.logger.error({ pluginId: p.id, reason: p.reason }, 'plugin quarantined');
    void this.emitHealth(p);
  }

  private async emitHealth(p: LoadedPlugin): Promise<void> {
    const status = p.status;
    await this.bus
      .publish(
        PluginHealthChanged,
        { pluginId: p.id, status, reason: p.reason?.slice(0, 1000) },
        { workspaceId: 'system', correlationId: `plugin-${p.id}` },
      )
      .catch((e: unknown) => this.logger.warn({ pluginId: p.id, err: String(e) }, 'cannot emit plugin health'));
  }
}

/** libs/plugin-sdk/src/index.ts of this checkout, found upward from here (source and built runs). */
function findSdkEntry(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'libs', 'plugin-sdk', 'src', 'index.ts');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('cannot find libs/plugin-sdk/src/index.ts for plugin processes');
  }
}
