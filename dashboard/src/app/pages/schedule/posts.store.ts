import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { PostFilter, PostsApi, ScheduledPost } from '../../core/api/posts.api';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { applyPostEvent } from './post-events';

/**
 * The scheduled posts a page shows, kept live: post.* events patch the list in place;
 * a post.scheduled event for a post we do not have triggers a refetch.
 */
@Injectable()
export class PostsStore {
  private readonly api = inject(PostsApi);
  readonly filter = signal<PostFilter>({ limit: 200 });
  readonly list = new Loadable<ScheduledPost[]>(async () => (await this.api.list(this.filter())).items);
  readonly posts = computed(() => this.list.value() ?? []);

  constructor() {
    const sub = inject(EventStream)
      .on('post.')
      .subscribe((e) => {
        const cur = this.list.value();
        if (!cur) return;
        if (e.subject === 'resync') return void this.list.load();
        const next = applyPostEvent(cur, e);
        if (next !== cur) this.list.value.set(next);
        else if (e.subject === 'post.scheduled') void this.list.load();
      });
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  setFilter(f: PostFilter): void {
    this.filter.set({ limit: 200, ...f });
    void this.list.load();
  }

  replace(post: ScheduledPost): void {
    this.list.update((list) => {
      const i = list.findIndex((p) => p.id === post.id);
      return i < 0 ? [post, ...list] : list.map((p) => (p.id === post.id ? post : p));
    });
  }

  drop(id: string): void {
    this.list.update((list) => list.filter((p) => p.id !== id));
  }
}
