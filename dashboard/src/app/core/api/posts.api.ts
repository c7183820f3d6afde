import { Injectable, inject } from '@angular/core';
import type { PublishJobState } from '@sx/contracts';
import { ApiClient, seg } from './api-client';
import { Page } from './page';
import { Recurrence } from './recurrence';
import { JobView, PostView, headlineDue, jobsToTargets, toWireRecurrence } from './scheduler-wire';

export type { PublishJobState };

/** One post on one account: a publish job as the scheduler tracks it. */
export interface PostTarget {
  jobId: string;
  accountId: string;
  platform: string;
  state: PublishJobState;
  dueAt: string;
  attempt: number;
  /** Failure, unknown or skip reason. */
  reason?: string | null;
  url?: string | null;
  platformPostId?: string | null;
}

/** A post with its jobs, as the schedule screens show it. */
export interface ScheduledPost {
  id: string;
  title?: string | null;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  /** UTC instant of the next (or last) occurrence. */
  dueAt: string;
  /** IANA zone the user picked. */
  zone: string;
  targets: PostTarget[];
  createdAt: string;
  deletedAt?: string | null;
}

export interface NewPost {
  title?: string;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  targets: { accountId: string; platform: string }[];
  dueAt: string;
  zone: string;
  recurrence?: Recurrence | null;
  overrides?: Record<string, { text?: string }>;
}

export interface PostFilter {
  state?: PublishJobState | '';
  includeDeleted?: boolean;
  cursor?: string;
  limit?: number;
  /** Inclusive due-time range as UTC instants (the calendar's visible range); the scheduler filters on it. */
  from?: string;
  to?: string;
}

const POST_PAGES = 10;

export function toScheduledPost(post: PostView, jobs: JobView[]): ScheduledPost {
  const head = headlineDue(jobs);
  return {
    id: post.id,
    title: post.title ?? null,
    text: post.text,
    hashtags: post.hashtags,
    mediaIds: post.mediaIds,
    dueAt: head?.dueAt ?? post.createdAt,
    zone: head?.zone ?? 'UTC',
    targets: jobsToTargets(jobs),
    createdAt: post.createdAt,
    deletedAt: post.deletedAt,
  };
}

/** Adapter over the scheduler routes: jobs and posts are joined here into one view per post. */
@Injectable({ providedIn: 'root' })
export class PostsApi {
  private readonly api = inject(ApiClient);

  /** A page of jobs (by due time), joined with their posts' content. */
  async list(filter: PostFilter = {}): Promise<Page<ScheduledPost>> {
    const jobs = await this.api.get<Page<JobView>>('/api/scheduled-posts', {
      limit: filter.limit ?? 200,
      cursor: filter.cursor,
      state: filter.state,
      from: filter.from,
      to: filter.to,
    });
    const posts = await this.posts(!!filter.includeDeleted);
    const byPost = new Map<string, JobView[]>();
    for (const j of jobs.items) {
      if (!j.postId) continue;
      byPost.set(j.postId, [...(byPost.get(j.postId) ?? []), j]);
    }
    const items: ScheduledPost[] = [];
    for (const [postId, list] of byPost) {
      const post = posts.get(postId);
      if (post) items.push(toScheduledPost(post, list));
    }
    if (filter.includeDeleted) {
      for (const p of posts.values()) if (p.deletedAt && !byPost.has(p.id)) items.push(toScheduledPost(p, []));
    }
    return { items, nextCursor: jobs.nextCursor };
  }

  async get(id: string): Promise<ScheduledPost> {
    const res = await this.api.get<{ post: PostView; jobs: JobView[] }>(`/api/schedule/post/${seg(id)}`);
    return toScheduledPost(res.post, res.jobs);
  }

  /** One-off posts are scheduled at an instant; recurring ones become a post plus a publish_post schedule. */
  async create(p: NewPost): Promise<ScheduledPost> {
    const content = { title: p.title, text: p.text, hashtags: p.hashtags, mediaIds: p.mediaIds, overrides: p.overrides ?? {}, targets: p.targets };
    if (!p.recurrence || p.recurrence.type === 'once') {
      const res = await this.api.post<{ postId: string }>('/api/schedule', { post: content, when: { mode: 'at', at: p.dueAt }, zone: p.zone });
      return this.get(res.postId);
    }
    const post = await this.api.post<PostView>('/api/posts', content);
    await this.api.post('/api/schedule/tasks', {
      name: p.title || p.text.slice(0, 60) || 'Recurring post',
      recurrence: toWireRecurrence(p.recurrence, p.dueAt),
      zone: p.zone,
      action: { type: 'publish_post', postId: post.id },
    });
    return this.get(post.id);
  }

  async reschedule(id: string, dueAt: string, zone: string): Promise<ScheduledPost> {
    await this.api.patch(`/api/schedule/post/${seg(id)}`, { at: dueAt, zone });
    return this.get(id);
  }
  cancel(id: string): Promise<void> {
    return this.api.delete(`/api/schedule/post/${seg(id)}`);
  }
  async postNow(id: string): Promise<ScheduledPost> {
    await this.api.post(`/api/schedule/post/${seg(id)}/force`);
    return this.get(id);
  }
  /** Retry every failed job of the post. */
  async retry(post: ScheduledPost): Promise<ScheduledPost> {
    for (const t of post.targets.filter((x) => x.state === 'failed')) await this.api.post(`/api/schedule/jobs/${seg(t.jobId)}/retry`);
    return this.get(post.id);
  }
  /** A person checked the platform: record what really happened to an `unknown` job. */
  async resolve(postId: string, jobId: string, outcome: 'published' | 'failed', url?: string, platformPostId?: string): Promise<ScheduledPost> {
    const body = outcome === 'published' ? { outcome, url, platformPostId } : { outcome, note: 'Checked by hand: not on the platform' };
    await this.api.post(`/api/schedule/jobs/${seg(jobId)}/resolve`, body);
    return this.get(postId);
  }
  remove(id: string): Promise<void> {
    return this.api.delete(`/api/posts/${seg(id)}`);
  }
  async restore(id: string): Promise<ScheduledPost> {
    await this.api.post(`/api/posts/${seg(id)}/restore`);
    return this.get(id);
  }
  /** The first account's next free slot (seed's get_next_slot). */
  async nextSlot(accountIds: readonly string[]): Promise<string | null> {
    if (!accountIds.length) return null;
    const res = await this.api.get<{ slots: { at: string }[] }>(`/api/schedule/slots/${seg(accountIds[0])}/next`, { count: 1 });
    return res.slots[0]?.at ?? null;
  }

  private async posts(includeDeleted: boolean): Promise<Map<string, PostView>> {
    const out = new Map<string, PostView>();
    let cursor: string | undefined;
    for (let i = 0; i < POST_PAGES; i++) {
      const page = await this.api.get<Page<PostView>>('/api/posts', { limit: 200, cursor, includeDeleted });
      for (const p of page.items) out.set(p.id, p);
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    return out;
  }
}
