import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Subject } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { PostFilter, PostPage, PostsApi, ScheduledPost } from '../../core/api/posts.api';
import { coalesce } from '../../core/events/coalesce';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { applyPostEvent } from './post-events';

export const PAGE_SIZE = 50;
/** The server's largest page: a refresh re-reads what is shown in one request, up to this many. */
const MAX_PAGE = 200;

/**
 * The posts a page shows, page by page from the server (keyset; filters applied there), kept live:
 * post.* events patch loaded posts in place; anything else (a new post, a resync) asks for a
 * refresh, and refreshes are coalesced to at most one per second.
 */
@Injectable()
export class PostsStore {
  private readonly api = inject(PostsApi);
  readonly filter = signal<PostFilter>({});
  readonly list = new Loadable<PostPage>(() => this.api.list({ ...this.filter(), limit: this.refreshSize() }));
  readonly posts = computed(() => this.list.value()?.items ?? []);
  readonly total = computed(() => this.list.value()?.total ?? 0);
  readonly hasMore = computed(() => !!this.list.value()?.nextCursor);
  readonly loadingMore = signal(false);
  private readonly refresh$ = new Subject<void>();

  constructor() {
    const refresh = coalesce(this.refresh$, () => void this.list.load());
    const sub = inject(EventStream)
      .on('post.')
      .subscribe((e) => {
        const cur = this.list.value();
        if (!cur) return;
        if (e.subject === 'resync') return this.refresh$.next();
        const next = applyPostEvent(cur.items, e);
        if (next !== cur.items) this.list.value.set({ ...cur, items: next });
        else this.refresh$.next();
      });
    inject(DestroyRef).onDestroy(() => {
      sub.unsubscribe();
      refresh.unsubscribe();
    });
  }

  setFilter(f: PostFilter): void {
    this.filter.set(f);
    this.list.value.set(undefined);
    void this.list.load();
  }

  /** Appends the next page (keyset cursor), so every post is reachable. */
  async loadMore(): Promise<void> {
    const cur = this.list.value();
    if (!cur?.nextCursor || this.loadingMore()) return;
    this.loadingMore.set(true);
    try {
      const page = await this.api.list({ ...this.filter(), cursor: cur.nextCursor, limit: PAGE_SIZE });
      const seen = new Set(cur.items.map((p) => p.id));
      this.list.value.set({ items: [...cur.items, ...page.items.filter((p) => !seen.has(p.id))], nextCursor: page.nextCursor, total: page.total });
    } catch (err) {
      this.list.error.set(toApiError(err));
    } finally {
      this.loadingMore.set(false);
    }
  }

  replace(post: ScheduledPost): void {
    this.list.update((page) => {
      const i = page.items.findIndex((p) => p.id === post.id);
      const items = i < 0 ? [post, ...page.items] : page.items.map((p) => (p.id === post.id ? { ...post, status: undefined } : p));
      return { ...page, items, total: i < 0 ? page.total + 1 : page.total };
    });
  }

  drop(id: string): void {
    this.list.update((page) => ({ ...page, items: page.items.filter((p) => p.id !== id), total: Math.max(0, page.total - 1) }));
  }

  /** Re-read what is shown (after an edit elsewhere), coalesced with live events. */
  refresh(): void {
    this.refresh$.next();
  }

  private refreshSize(): number {
    return Math.min(MAX_PAGE, Math.max(this.filter().limit ?? PAGE_SIZE, this.list.value()?.items.length ?? 0));
  }
}
