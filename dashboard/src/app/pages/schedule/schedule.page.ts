import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { DateTime } from 'luxon';
import { PublishJobState, ScheduledPost } from '../../core/api/posts.api';
import { AuthStore } from '../../core/auth/auth.store';
import { Ticker } from '../../core/util/clock';
import { PreferencesService } from '../../core/util/preferences.service';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { StatCardComponent } from '../../shared/stat-card/stat-card.component';
import { openComposer } from '../composer/open-composer';
import { PostActions } from './post-actions.service';
import { PostCardComponent } from './post-card.component';
import { postStatus } from './post-events';
import { PostRowAction, PostTableComponent } from './post-table.component';
import { PostsStore } from './posts.store';

@Component({
  selector: 'sx-schedule-page',
  imports: [
    FormsModule, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatIconModule, MatInputModule,
    MatSelectModule, MatSlideToggleModule, LoadStateComponent, StatCardComponent, PostCardComponent, PostTableComponent,
  ],
  providers: [PostsStore, PostActions],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './schedule.page.html',
  styles: `.sx-cards { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); }
    @media (max-width: 900px) { .sx-cards { grid-template-columns: 1fr; } }`,
})
export class SchedulePage implements OnInit {
  protected readonly store = inject(PostsStore);
  protected readonly actions = inject(PostActions);
  protected readonly auth = inject(AuthStore);
  protected readonly prefs = inject(PreferencesService);
  private readonly dialog = inject(MatDialog);
  private readonly ticker = inject(Ticker);

  protected readonly search = signal('');
  protected readonly status = signal<PublishJobState | ''>('');
  protected readonly platform = signal('');
  protected readonly showDeleted = signal(false);

  protected readonly platforms = computed(() => [...new Set(this.store.posts().flatMap((p) => p.targets.map((t) => t.platform)))].sort());

  /** Client-side narrowing on top of the server filter, so typing is instant. */
  protected readonly visible = computed(() => {
    const q = this.search().trim().toLowerCase();
    const st = this.status();
    const pf = this.platform();
    return this.store
      .posts()
      .filter((p) => (this.showDeleted() ? true : !p.deletedAt))
      .filter((p) => !q || `${p.title ?? ''} ${p.text} ${p.hashtags.join(' ')}`.toLowerCase().includes(q))
      .filter((p) => !st || postStatus(p) === st)
      .filter((p) => !pf || p.targets.some((t) => t.platform === pf))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  });

  protected readonly stats = computed(() => {
    if (!this.store.list.loaded()) return null;
    const zone = this.prefs.prefs().zone;
    const today = DateTime.fromMillis(this.ticker.now(), { zone }).toISODate();
    const sameDay = (iso: string) => DateTime.fromISO(iso, { zone }).toISODate() === today;
    const live = this.store.posts().filter((p) => !p.deletedAt);
    const st = live.map((p) => ({ p, s: postStatus(p) }));
    return {
      scheduled: st.filter((x) => ['pending', 'retry_wait', 'paused'].includes(x.s)).length,
      today: st.filter((x) => x.s === 'pending' && sameDay(x.p.dueAt)).length,
      published: st.filter((x) => x.s === 'published' && sameDay(x.p.dueAt)).length,
      failed: st.filter((x) => x.s === 'failed' || x.s === 'unknown').length,
    };
  });

  ngOnInit(): void {
    void this.store.list.load();
  }

  protected setDeleted(on: boolean): void {
    this.showDeleted.set(on);
    this.store.setFilter({ includeDeleted: on });
  }

  protected onRow(e: PostRowAction): void {
    void this.actions.run(e.action, e.post);
  }

  protected onCard(action: PostRowAction['action'], post: ScheduledPost): void {
    void this.actions.run(action, post);
  }

  protected async compose(): Promise<void> {
    const created = await openComposer(this.dialog);
    if (created) this.store.replace(created);
  }
}
