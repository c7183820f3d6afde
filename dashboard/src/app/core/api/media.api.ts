import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import type { QueryOf } from './openapi-types';
import { Page } from './page';

/** `GET /api/files` query parameters, as the gateway's OpenAPI document describes them. */
export type FilesQuery = QueryOf<'FilesController_list'>;
export type MediaKind = NonNullable<FilesQuery['kind']>;
export type MediaStatus = NonNullable<FilesQuery['status']>;

export interface MediaAsset {
  id: string;
  filename: string;
  mime: string;
  kind: MediaKind;
  bytes: number;
  sha256?: string;
  status: MediaStatus;
  /** Machine code and human detail of the status (the rejection reason when `rejected`). */
  statusCode?: string | null;
  statusDetail?: string | null;
  source?: 'upload' | 'watch-folder' | 'url-import';
  createdAt: string;
  platforms?: string[];
  tags?: string[];
  metadata?: Record<string, unknown>;
  deletedAt?: string | null;
  /** Byte URLs relative to the origin; null until the asset is servable. */
  urls?: { content: string | null; thumbnail: string | null };
}

/** The media page's filter: the API's query, with '' for "any" and dates as yyyy-MM-dd. */
export interface MediaFilter extends Pick<FilesQuery, 'platform' | 'q' | 'cursor' | 'limit' | 'sort' | 'deleted'> {
  kind?: MediaKind | '';
  status?: MediaStatus | '';
  /** yyyy-MM-dd; sent as the start of that UTC day. */
  from?: string;
  /** yyyy-MM-dd; sent as the end of that UTC day. */
  to?: string;
}

/** Byte URLs are served outside /api (range requests, ETag). */
export const mediaUrl = (id: string): string => `/media/${seg(id)}`;
export const thumbnailUrl = (id: string): string => `/media/${seg(id)}/thumbnail`;
export const assetThumb = (a: MediaAsset): string | null => (a.urls ? a.urls.thumbnail : thumbnailUrl(a.id));

@Injectable({ providedIn: 'root' })
export class MediaApi {
  private readonly api = inject(ApiClient);

  /** Dates from the filter (yyyy-MM-dd) become whole UTC days, as the API wants instants. */
  list(filter: MediaFilter = {}): Promise<Page<MediaAsset>> {
    const { from, to, ...rest } = filter;
    return this.api.get<Page<MediaAsset>>('/api/files', {
      ...rest,
      from: from ? `${from}T00:00:00Z` : undefined,
      to: to ? `${to}T23:59:59Z` : undefined,
    });
  }
  get(id: string): Promise<MediaAsset> {
    return this.api.get<MediaAsset>(`/api/files/${seg(id)}`);
  }
  remove(id: string): Promise<void> {
    return this.api.delete(`/api/files/${seg(id)}`);
  }
  restore(id: string): Promise<MediaAsset> {
    return this.api.post<MediaAsset>(`/api/files/${seg(id)}/restore`);
  }
  importUrl(url: string): Promise<MediaAsset> {
    return this.api.post<MediaAsset>('/api/files/import', { url });
  }
}
