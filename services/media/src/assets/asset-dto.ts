import type { MediaAsset } from '@sx/contracts';
import type { MediaAssetEntity } from '../db/media-asset.entity';

/** The API shape of an asset; storage keys stay internal, URLs point at the media routes. */
export function toAssetDto(a: MediaAssetEntity): MediaAsset {
  const servable = a.status === 'ready' && !a.deletedAt;
  return {
    id: a.id,
    filename: a.filename,
    mime: a.mime,
    kind: a.kind,
    bytes: a.bytes,
    sha256: a.sha256,
    status: a.status,
    statusCode: a.statusCode,
    statusDetail: a.statusDetail,
    source: a.source,
    metadata: a.metadata,
    tags: a.tags,
    platforms: a.platforms,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    deletedAt: a.deletedAt ? a.deletedAt.toISOString() : null,
    urls: {
      content: servable ? `/media/${a.id}` : null,
      thumbnail: servable && a.renditions.thumbnail ? `/media/${a.id}/thumbnail` : null,
    },
  };
}
