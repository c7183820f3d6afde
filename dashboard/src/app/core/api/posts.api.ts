import { Injectable, inject } from '@angular/core';
import type { PublishJobState } from '@sx/contracts';
import { ApiClient, seg } from './api-client';
import { Page } from './page';
import { Recurrence } from './recurrence';
import { JobView, PostView, currentJobs, headlineDue, jobsToTargets, toWireRecurrence } from './scheduler-wire';

interface FeedItem {
  post: PostView;
  status: PostStatus;
  dueAt: string;
  jobs: JobView[];
}

export type { PublishJobState, JobView };

/** One status per post (the server's): a job state, or `draft` for a post with no job yet. */
export type PostStatus = PublishJobState | 'draft';

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
  /** The server's status for the whole post (feed), when known. */
  status?: PostStatus;
  /** Per-platform overrides as stored (e.g. `{ bluesky: { text } }`). */
  overrides?: Record<string, Record<string, unknown>>;
  /** The accounts the post is for, even before any job exists (drafts). */
  accounts?: { accountId: string; platform: string }[];
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

/** The Schedule list's filter; the server applies every field before paging. */
type Target = { accountId: string; platform: string };

/** A post's content and accounts as an edit sends them (every field given, so nothing is reset). */
export interface PostEdit {
  title: string | null;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  overrides: Record<string, Record<string, unknown>>;
}


export interface PostFilter {
  status?: PostStatus | '';
  platform?: string;
  q?: string;
  includeDeleted?: boolean;
  cursor?: string;
  limit?: number;
}

export interface PostPage extends Page<ScheduledPost> {
  /** Every post matching the filter, across all pages. */
  total: number;
}

export interface PostHistoryEntry {
  id: string;
  jobId: string;
  at: string;
  from: string | null;
  to: string;
  attempt: number;
  detail: string | null;
}

export interface PostDetail {
  post: ScheduledPost;
  jobs: JobView[];
  history: PostHistoryEntry[];
}

/** POST /api/posts/validate: the pre-flight check of a post that is not stored yet (or a stored one by id). */
export interface PreflightRequest {
  post: { title?: string; text: string; hashtags: string[]; mediaIds: string[]; overrides: Record<string, Record<string, unknown>>; targets: Target[] };
  when?: { mode: 'at'; at: string };
  zone: string;
}

export interface PreflightResult {
  ok: boolean;
  targets: { accountId: string; platform: string | null; ok: boolean; violations: { rule: string; message: string }[] }[];
}

/** What a calendar chip needs (GET /api/schedule/calendar). */
export interface CalendarChip {
  postId: string;
  dueAt: string;
  zone: string;
  status: PostStatus;
  label: string;
  platforms: string[];
}

/** GET /api/schedule/stats: counted by the scheduler over every job of the workspace. */
export interface ScheduleStats {
  total: number;
  pending: number;
  running: number;
  published: number;
  failed: number;
  unknown: number;
  postingToday: number;
  publishedToday: number;
}

export function toScheduledPost(post: PostView, allJobs: JobView[]): ScheduledPost {
  const jobs = currentJobs(allJobs);
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
    overrides: post.overrides,
    accounts: post.targets.map((t) => ({ accountId: t.accountId, platform: t.platform })),
  };
}

/** Adapter over the scheduler routes: jobs and posts are joined here into one view per post. */
@Injectable({ providedIn: 'root' })
export class PostsApi {
  private readonly api = inject(ApiClient);

  /** A keyset page of posts with their current jobs, filtered and counted by the scheduler. */
  async list(filter: PostFilter = {}): Promise<PostPage> {
    const page = await this.api.get<{ items: FeedItem[]; nextCursor: string | null; total: number }>('/api/schedule/feed', {
      limit: filter.limit ?? 50,
      cursor: filter.cursor,
      status: filter.status || undefined,
      platform: filter.platform || undefined,
      q: filter.q?.trim() || undefined,
      includeDeleted: filter.includeDeleted || undefined,
    });
    return {
      items: page.items.map((i) => ({ ...toScheduledPost(i.post, i.jobs), dueAt: i.dueAt, status: i.status })),
      nextCursor: page.nextCursor,
      total: page.total,
    };
  }

  /** Chips for a calendar's visible range, in one request. */
  async calendar(from: string, to: string): Promise<{ items: CalendarChip[]; truncated: boolean }> {
    return this.api.get<{ items: CalendarChip[]; truncated: boolean }>('/api/schedule/calendar', { from, to });
  }

  validate(req: PreflightRequest): Promise<PreflightResult> {
    return this.api.post<PreflightResult>('/api/posts/validate', req);
  }

  stats(zone: string): Promise<ScheduleStats> {
    return this.api.get<ScheduleStats>('/api/schedule/stats', { zone });
  }

  /** The post, every job it ever had (not only the current ones) and its state history, newest first. */
  async detail(id: string): Promise<PostDetail> {
    const res = await this.api.get<{ post: PostView; jobs: JobView[]; history: PostHistoryEntry[] }>(`/api/schedule/post/${seg(id)}`);
    return { post: toScheduledPost(res.post, res.jobs), jobs: res.jobs, history: res.history };
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

  /** One edit of content, accounts and time (PATCH /api/scheduled-posts/{id}); the scheduler re-plans unfired jobs. */
  async edit(id: string, e: PostEdit & { targets?: Target[]; at?: string; zone?: string }): Promise<ScheduledPost> {
    await this.api.patch(`/api/scheduled-posts/${seg(id)}`, e);
    return this.get(id);
  }

  /** Saves the content, stops the post's one-off jobs and hands it to a repeating publish_post schedule. */
  async makeRecurring(id: string, e: PostEdit & { targets: Target[] }, recurrence: Recurrence, startAt: string, zone: string, hasLiveJobs: boolean): Promise<ScheduledPost> {
    await this.api.patch(`/api/scheduled-posts/${seg(id)}`, e);
    if (hasLiveJobs) await this.api.delete(`/api/schedule/post/${seg(id)}`);
    await this.api.post('/api/schedule/tasks', {
      name: e.title || e.text.slice(0, 60) || 'Recurring post',
      recurrence: toWireRecurrence(recurrence, startAt),
      zone,
      action: { type: 'publish_post', postId: id },
    });
    return this.get(id);
  }

  /** Publish the (published) post once more at `at`, with the content as edited (POST /api/posts/{id}/post-again). */
  async postAgain(id: string, e: PostEdit, at: string, zone: string): Promise<ScheduledPost> {
    await this.api.patch(`/api/posts/${seg(id)}`, e);
    await this.api.post(`/api/posts/${seg(id)}/post-again`, { when: { mode: 'at', at }, zone });
    return this.get(id);
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

}
