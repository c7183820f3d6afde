import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import { Page } from './page';

export type MediaKind = 'image' | 'video' | 'audio' | 'document';
export type MediaStatus = 'uploaded' | 'processing' | 'ready' | 'rejected';

export interface MediaAsset {
  id: string;
  filename: string;
  mime: string;
  kind: MediaKind;
  bytes: number;
  sha256?: string;
  status: MediaStatus;
  /** Set when status is `rejected`. */
  rejectionReason?: string | null;
  createdAt: string;
  platforms?: string[];
  metadata?: Record<string, unknown>;
  deletedAt?: string | null;
}

export interface MediaFilter {
  kind?: MediaKind | '';
  platform?: string;
  from?: string;
  to?: string;
  q?: string;
  status?: MediaStatus | '';
  cursor?: string;
  limit?: number;
}

/** Byte URLs are served outside /api (range requests, ETag). */
export const mediaUrl = (id: string): string => `/media/${seg(id)}`;
export const thumbnailUrl = (id: string): string => `/media/${seg(id)}/thumbnail`;

@Injectable({ providedIn: 'root' })
export class MediaApi {
  private readonly api = inject(ApiClient);

  list(filter: MediaFilter = {}): Promise<Page<MediaAsset>> {
    return this.api.get<Page<MediaAsset>>('/api/files', { ...filter });
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
