import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { PublisherPluginsList } from '@sx/contracts';
import { parseManifest, renditionTargets, type RenditionTargets } from '@sx/plugin-sdk';
import { callService } from '../media/bus-call';

/** Where the renditions stage learns what each platform accepts: the plugins' manifests. */
export interface RenditionTargetsPort {
  /** Targets by platform, for every platform a ready plugin serves. */
  byPlatform(scope: { workspaceId: string; correlationId: string }): Promise<Map<string, RenditionTargets>>;
}

export const RENDITION_TARGETS = Symbol('RENDITION_TARGETS');

/**
 * Reads the manifests from the publisher's plugin registry over the bus (`publisher.plugins-list`),
 * so a plugin folder dropped into the plugins directory is the only place a platform is described.
 */
@Injectable()
export class BusRenditionTargets implements RenditionTargetsPort {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  async byPlatform(scope: { workspaceId: string; correlationId: string }): Promise<Map<string, RenditionTargets>> {
    const { items } = await callService(this.bus, scope, PublisherPluginsList, {}, 30_000);
    const out = new Map<string, RenditionTargets>();
    for (const p of items) {
      if (p.status !== 'ready' || !p.manifest) continue;
      const parsed = parseManifest(p.manifest);
      if (!parsed.ok || out.has(parsed.manifest.platform)) continue;
      out.set(parsed.manifest.platform, renditionTargets(parsed.manifest));
    }
    return out;
  }
}
