import { DestroyRef, Injectable, computed, inject } from '@angular/core';
import { PostsApi, ScheduleStats } from '../../core/api/posts.api';
import { coalesce } from '../../core/events/coalesce';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { PreferencesService } from '../../core/util/preferences.service';

/**
 * The scheduler's own counts (GET /api/schedule/stats, "today" in the user's zone), never a count
 * of whatever page happens to be loaded; refreshed on post events at most once a second.
 */
@Injectable()
export class ScheduleStatsStore {
  private readonly api = inject(PostsApi);
  private readonly prefs = inject(PreferencesService);
  readonly stats = new Loadable<ScheduleStats>(() => this.api.stats(this.prefs.prefs().zone));
  readonly cards = computed(() => {
    const s = this.stats.value();
    if (!s) return null;
    return { scheduled: s.pending, today: s.postingToday, published: s.publishedToday, failed: s.failed + s.unknown };
  });

  constructor() {
    const sub = coalesce(inject(EventStream).on('post.'), () => void this.stats.load());
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }
}
