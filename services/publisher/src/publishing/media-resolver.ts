import { createWriteStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EventBus } from '@sx/bus';
import {
  MediaGet,
  MediaLocate,
  type CommandContext,
  type CommandDefinition,
  type CommandReply,
  type CommandResponse,
  type MediaAsset,
} from '@sx/contracts';
import type { ObjectStorage } from '@sx/storage';
import { RejectedError, RetryableError, type MediaRef } from '@sx/plugin-sdk';

export interface ResolvedMedia {
  /** Refs with the local file the plugin child reads (`ctx.media.open(id)`). */
  items: { ref: MediaRef; path: string }[];
  cleanup(): Promise<void>;
}

const NONE: ResolvedMedia = { items: [], cleanup: async () => undefined };

/** How the resolver hands pull-based platforms a URL to fetch the media from. */
export interface PublicMediaUrls {
  /** SX_PUBLIC_URL: makes the disk driver's same-origin presigned path absolute (S3 URLs already are). */
  publicBaseUrl: string;
  /** Lifetime of each signed URL. */
  ttlS: number;
  clock: { nowMs(): number };
}

interface Located {
  key: string;
  mime: string;
  bytes: number;
  /** Dimensions of the platform rendition (from its storage metadata); absent for the original. */
  dims?: { width?: number; height?: number; durationS?: number };
}

/**
 * Turns a post's media ids into refs + local files for the plugin call: metadata from the media
 * service (`media.get`), the bytes to publish from object storage at the key `media.locate` names.
 * Missing, deleted or unsupported media is a permanent refusal; media not ready yet or an
 * unreachable media service is retryable.
 */
export class MediaResolver {
  constructor(
    private readonly bus: EventBus,
    private readonly storage: ObjectStorage | undefined,
    private readonly tmpRoot = tmpdir(),
    private readonly urls?: PublicMediaUrls,
  ) {}

  /**
   * With `platform`, each item is the pipeline's rendition for that platform when one exists
   * (`renditions/<asset>/<platform>.<ext>`, made to the plugin manifest's targets), else the asset's
   * published bytes. Every ref carries a signed, expiring public URL when `urls` is configured.
   */
  async resolve(workspaceId: string, correlationId: string, ids: readonly string[], platform?: string): Promise<ResolvedMedia> {
    if (!ids.length) return NONE;
    if (!this.storage) throw new RejectedError('the publisher has no object storage configured, so it cannot attach media');
    const ctx: CommandContext = { workspaceId, actorId: 'publisher', role: 'system', correlationId };
    const dir = await fs.mkdtemp(path.join(this.tmpRoot, 'sx-publish-'));
    const cleanup = () => fs.rm(dir, { recursive: true, force: true });
    try {
      const items: ResolvedMedia['items'] = [];
      for (const [i, id] of ids.entries()) {
        const asset = await this.ask(MediaGet, { assetId: id }, ctx, id);
        kindOf(asset, asset.mime); // refuse audio/documents before waiting for them to be ready
        const located = (platform && (await this.rendition(id, platform))) || (await this.original(ctx, id));
        const file = path.join(dir, `${i}`);
        const { stream } = await this.storage.get(located.key);
        await pipeline(stream, createWriteStream(file, { mode: 0o600 }));
        items.push({ ref: { ...toRef(asset, located), ...(await this.publicUrl(located.key)) }, path: file });
      }
      return { items, cleanup };
    } catch (e) {
      await cleanup();
      throw e;
    }
  }

  private async original(ctx: CommandContext, id: string): Promise<Located> {
    const located = await this.ask(MediaLocate, { assetId: id }, ctx, id);
    if (!located.key) throw new RetryableError(`media ${id} is not ready yet`);
    return { key: located.key, mime: located.mime, bytes: located.bytes };
  }

  private async rendition(id: string, platform: string): Promise<Located | undefined> {
    const storage = this.storage as ObjectStorage;
    for await (const o of storage.list(`renditions/${id}/${platform}.`)) {
      const info = await storage.stat(o.key);
      const m = info.metadata;
      const dim = (k: string) => (m[k] === undefined ? undefined : num(Number(m[k])));
      return { key: o.key, mime: info.contentType, bytes: info.size, dims: { width: dim('width'), height: dim('height'), durationS: dim('duration-s') } };
    }
    return undefined;
  }

  private async publicUrl(key: string): Promise<Pick<MediaRef, 'publicUrl' | 'publicUrlExpiresAt'>> {
    if (!this.urls || !this.storage) return {};
    const signed = await this.storage.presignGet(key, { expiresInS: this.urls.ttlS });
    return {
      publicUrl: new URL(signed, this.urls.publicBaseUrl).toString(),
      publicUrlExpiresAt: new Date(this.urls.clock.nowMs() + this.urls.ttlS * 1000).toISOString(),
    };
  }

  private async ask<D extends CommandDefinition>(def: D, req: unknown, ctx: CommandContext, id: string): Promise<CommandResponse<D>> {
    let reply: CommandReply<CommandResponse<D>>;
    try {
      reply = await this.bus.request(def, req as never, ctx);
    } catch (e) {
      throw new RetryableError(`media service unreachable for ${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (reply.ok) return reply.data;
    const { status, message } = reply.error;
    if (status >= 500 || status === 408 || status === 429) throw new RetryableError(`media ${id}: ${message}`);
    throw new RejectedError(`media ${id}: ${message}`, [{ rule: 'media.unavailable', field: 'media', message }]);
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function kindOf(asset: MediaAsset, mime: string): MediaRef['kind'] {
  if (asset.kind === 'video') return 'video';
  if (asset.kind === 'image') return mime === 'image/gif' ? 'gif' : 'image';
  throw new RejectedError(`media ${asset.id} is ${asset.kind}, which no platform plugin publishes`);
}

function toRef(asset: MediaAsset, located: Located): MediaRef {
  const m = asset.metadata;
  const d = located.dims ?? {};
  return {
    id: asset.id,
    kind: kindOf(asset, located.mime),
    mimeType: located.mime,
    sizeBytes: located.bytes,
    width: d.width ?? num(m['width']),
    height: d.height ?? num(m['height']),
    durationS: d.durationS ?? num(m['durationS']) ?? num(m['duration']),
    altText: typeof m['altText'] === 'string' ? m['altText'] : undefined,
    filename: asset.filename,
  };
}
