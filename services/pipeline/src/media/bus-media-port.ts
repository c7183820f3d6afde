import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { MediaGet, MediaLocate, type CommandContext } from '@sx/contracts';
import type { AssetInfo, MediaPort } from './media-port';

/** The media service over the bus: the asset's description plus the storage key of its bytes. */
@Injectable()
export class BusMediaPort implements MediaPort {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  async describe(workspaceId: string, assetId: string, correlationId: string): Promise<AssetInfo> {
    const ctx: CommandContext = { workspaceId, actorId: 'system:pipeline', role: 'system', correlationId };
    const [asset, location] = await Promise.all([
      this.bus.request(MediaGet, { assetId }, ctx),
      this.bus.request(MediaLocate, { assetId }, ctx),
    ]);
    if (!asset.ok) throw new Error(`media ${asset.error.code}: ${asset.error.message}`);
    if (!location.ok) throw new Error(`media ${location.error.code}: ${location.error.message}`);
    const a = asset.data;
    return {
      id: a.id,
      filename: a.filename,
      kind: a.kind,
      mime: a.mime,
      bytes: a.bytes,
      status: a.status,
      metadata: a.metadata,
      platforms: a.platforms,
      contentKey: location.data.key,
    };
  }
}
