import { MediaDeleted, type CommandRequest, type MediaAsset, type MediaList, type MediaUpdate } from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import type { IngestActor, MediaEventOutbox } from '../ports';
import { toAssetDto } from './asset-dto';
import type { AssetsRepository, WorkspaceScope } from './assets.repository';

/** Library queries and lifecycle (soft delete, restore, tagging) for one workspace at a time. */
export class AssetsService {
  constructor(
    private readonly repo: AssetsRepository,
    private readonly outbox: MediaEventOutbox,
    private readonly clock: Clock,
  ) {}

  async list(scope: WorkspaceScope, q: CommandRequest<typeof MediaList>): Promise<{ items: MediaAsset[]; nextCursor: string | null }> {
    if (q.from && q.to && q.from >= q.to) {
      throw AppError.validation('`from` must be before `to`', { from: q.from, to: q.to });
    }
    const page = await this.repo.list(scope, q);
    return { items: page.items.map(toAssetDto), nextCursor: page.nextCursor };
  }

  async get(scope: WorkspaceScope, id: string): Promise<MediaAsset> {
    return toAssetDto(await this.repo.getById(scope, id));
  }

  /**
   * For other services (the pipeline): where the bytes to publish are stored — the metadata-stripped
   * published copy when there is one, else the original. Null key while the asset is not ready.
   */
  async locate(scope: WorkspaceScope, id: string): Promise<{ key: string | null; mime: string; bytes: number }> {
    const asset = await this.repo.getById(scope, id);
    if (asset.deletedAt) throw new AppError('asset_deleted', 'The media asset was deleted', 410);
    if (asset.status !== 'ready' || !asset.storageKey) return { key: null, mime: asset.mime, bytes: asset.bytes };
    const published = asset.renditions.published;
    return published ? { key: published.key, mime: published.mime, bytes: published.bytes } : { key: asset.storageKey, mime: asset.mime, bytes: asset.bytes };
  }

  /** Soft delete: the row and objects stay (restorable); media.deleted tells consumers to stop using it. */
  async delete(actor: IngestActor, id: string): Promise<MediaAsset> {
    return this.repo.transaction(async (em) => {
      const asset = await this.repo.getById(actor, id, em);
      if (asset.deletedAt) return toAssetDto(asset);
      asset.deletedAt = this.clock.now();
      asset.updatedAt = asset.deletedAt;
      await this.repo.save(em, asset);
      await this.outbox.append(em, MediaDeleted, { assetId: asset.id, hard: false }, meta(actor));
      return toAssetDto(asset);
    });
  }

  async restore(actor: IngestActor, id: string): Promise<MediaAsset> {
    return this.repo.transaction(async (em) => {
      const asset = await this.repo.getById(actor, id, em);
      if (!asset.deletedAt) return toAssetDto(asset);
      asset.deletedAt = null;
      asset.updatedAt = this.clock.now();
      await this.repo.save(em, asset);
      return toAssetDto(asset);
    });
  }

  async update(actor: IngestActor, req: CommandRequest<typeof MediaUpdate>): Promise<MediaAsset> {
    return this.repo.transaction(async (em) => {
      const asset = await this.repo.getById(actor, req.assetId, em);
      if (req.tags !== undefined) asset.tags = [...new Set(req.tags ?? [])];
      if (req.platforms !== undefined) asset.platforms = [...new Set(req.platforms ?? [])];
      asset.updatedAt = this.clock.now();
      await this.repo.save(em, asset);
      return toAssetDto(asset);
    });
  }
}

function meta(actor: IngestActor) {
  return { workspaceId: actor.workspaceId, correlationId: actor.correlationId };
}
