import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@sx/service-kit';
import type { AssetsRepository } from '../assets/assets.repository';
import type { MediaAssetEntity } from '../db/media-asset.entity';
import type { AssetStore } from '../ports';
import { parseRange } from './byte-range';
import { requireEditor, resolveActor } from './request-actor';

export type Variant = 'content' | 'thumbnail' | 'original';

interface Target {
  key: string;
  mime: string;
  bytes: number;
}

/**
 * Serves an asset's bytes: the published copy (EXIF stripped), its thumbnail, or (editors only) the
 * original. Range requests, strong ETags, immutable caching, and a 302 to a presigned URL in S3 mode.
 */
export class MediaServeService {
  constructor(
    private readonly repo: AssetsRepository,
    private readonly store: AssetStore,
    private readonly trustGatewayHeaders: boolean,
    private readonly presignTtlS = 300,
  ) {}

  async send(req: Request, res: Response, id: string, variant: Variant): Promise<void> {
    const actor = resolveActor(req, this.trustGatewayHeaders);
    if (variant === 'original') requireEditor(actor);
    const asset = await this.repo.getById(actor, id);
    const target = pick(asset, variant);
    const etag = `"${asset.sha256?.slice(0, 40) ?? asset.id}-${variant}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Accept-Ranges', 'bytes');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    const presigned = await this.store.presignGet(target.key, this.presignTtlS);
    if (presigned) {
      res.setHeader('Cache-Control', 'private, no-store');
      res.redirect(302, presigned);
      return;
    }
    const ifRange = req.headers['if-range'];
    const range = !ifRange || ifRange === etag ? parseRange(req.headers.range, target.bytes) : undefined;
    res.setHeader('Content-Type', target.mime);
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(downloadName(asset, variant))}`);
    if (range) {
      res.status(206);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${target.bytes}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.status(200);
      res.setHeader('Content-Length', String(target.bytes));
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const body = await this.store.read(target.key, range);
    await pipeline(body, res);
  }
}

function pick(asset: MediaAssetEntity, variant: Variant): Target {
  if (asset.deletedAt) throw new AppError('asset_deleted', 'The media asset was deleted', 410);
  if (asset.status !== 'ready' || !asset.storageKey) {
    throw new AppError('asset_not_ready', `The media asset is ${asset.status}`, 409, { status: asset.status });
  }
  if (variant === 'thumbnail') {
    const t = asset.renditions.thumbnail;
    if (!t) throw new AppError('no_thumbnail', 'The media asset has no thumbnail', 404, { statusCode: asset.statusCode });
    return t;
  }
  if (variant === 'content' && asset.renditions.published) return asset.renditions.published;
  return { key: asset.storageKey, mime: asset.mime, bytes: asset.bytes };
}

function downloadName(asset: MediaAssetEntity, variant: Variant): string {
  if (variant !== 'thumbnail') return asset.filename;
  return `${asset.filename.replace(/\.[^.]*$/, '')}-thumbnail.webp`;
}
