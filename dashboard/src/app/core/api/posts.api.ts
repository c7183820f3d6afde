import { Injectable, inject } from '@angular/core';
import type { PublishJobState } from '@sx/contracts';
import { ApiClient, seg } from './api-client';
import { Page } from './page';
import { Recurrence } from './recurrence';

export type { PublishJobState };

/** One post on one account: a publish job as the scheduler tracks it. */
export interface PostTarget {
  jobId: string;
  accountId: string;
  platform: string;
  state: PublishJobState;
  dueAt: string;
  attempt: number;
  /** Failure or unknown reason, skip reason. */
  reason?: string | null;
  url?: string | null;
  platformPostId?: string | null;
}

export interface ScheduledPost {
  id: string;
  title?: string | null;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  /** UTC instant of the next (or only) occurrence. */
  dueAt: string;
  /** IANA zone the user picked; recurrence expands in it. */
  zone: string;
  recurrence?: Recurrence | null;
  targets: PostTarget[];
  createdAt: string;
  deletedAt?: string | null;
  overrides?: Record<string, { text?: string; title?: string }>;
}

export interface NewPost {
  title?: string;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  accountIds: string[];
  dueAt: string;
  zone: string;
  recurrence?: Recurrence | null;
  overrides?: Record<string, { text?: string; title?: string }>;
}

export interface PostFilter {
  status?: PublishJobState | '';
  platform?: string;
  q?: string;
  from?: string;
  to?: string;
  includeDeleted?: boolean;
  cursor?: string;
  limit?: number;
}

export interface NextSlot {
  dueAt: string;
  zone: string;
}

@Injectable({ providedIn: 'root' })
export class PostsApi {
  private readonly api = inject(ApiClient);

  list(filter: PostFilter = {}): Promise<Page<ScheduledPost>> {
    return this.api.get<Page<ScheduledPost>>('/api/scheduled-posts', { ...filter });
  }
  upcoming(hours: number): Promise<ScheduledPost[]> {
    return this.api.get<ScheduledPost[]>('/api/schedule/upcoming', { hours });
  }
  get(id: string): Promise<ScheduledPost> {
    return this.api.get<ScheduledPost>(`/api/schedule/post/${seg(id)}`);
  }
  create(post: NewPost): Promise<ScheduledPost> {
    return this.api.post<ScheduledPost>('/api/schedule/post', post);
  }
  reschedule(id: string, dueAt: string, zone: string): Promise<ScheduledPost> {
    return this.api.patch<ScheduledPost>(`/api/schedule/post/${seg(id)}`, { dueAt, zone });
  }
  cancel(id: string): Promise<void> {
    return this.api.delete(`/api/schedule/post/${seg(id)}`);
  }
  postNow(id: string): Promise<ScheduledPost> {
    return this.api.post<ScheduledPost>(`/api/posts/${seg(id)}/instant-publish`);
  }
  retry(id: string): Promise<ScheduledPost> {
    return this.api.post<ScheduledPost>(`/api/schedule/post/${seg(id)}/retry`);
  }
  /** A person checked the platform: record what really happened to an `unknown` job. */
  resolve(id: string, jobId: string, outcome: 'published' | 'failed', url?: string): Promise<ScheduledPost> {
    return this.api.post<ScheduledPost>(`/api/schedule/post/${seg(id)}/resolve`, { jobId, outcome, url });
  }
  remove(id: string): Promise<void> {
    return this.api.delete(`/api/posts/${seg(id)}`);
  }
  restore(id: string): Promise<ScheduledPost> {
    return this.api.post<ScheduledPost>(`/api/posts/${seg(id)}/restore`);
  }
  nextSlot(accountIds: readonly string[], zone: string): Promise<NextSlot> {
    return this.api.get<NextSlot>('/api/schedule/next-slot', { accountIds, zone });
  }
}
