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
import { PluginsApi } from '../../core/api/plugins.api';
import { PostStatus, ScheduledPost } from '../../core/api/posts.api';
import { AuthStore } from '../../core/auth/auth.store';
import { PreferencesService } from '../../core/util/preferences.service';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { StatCardComponent } from '../../shared/stat-card/stat-card.component';
import { openComposer } from '../composer/open-composer';
import { PostActions } from './post-actions.service';
import { PostCardComponent } from './post-card.component';
import { PostRowAction, PostTableComponent } from './post-table.component';
import { PostsStore } from './posts.store';
import { ScheduleStatsStore } from './schedule-stats';

@Component({
  selector: 'sx-schedule-page',
  imports: [
    FormsModule, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatIconModule, MatInputModule,
    MatSelectModule, MatSlideToggleModule, LoadStateComponent, StatCardComponent, PostCardComponent, PostTableComponent,
  ],
  providers: [PostsStore, PostActions, ScheduleStatsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './schedule.page.html',
  styles: `.sx-cards { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); }
    .sx-more-row { display: flex; gap: 16px; align-items: center; justify-content: center; padding: 16px 0; }
    @media (max-width: 900px) { .sx-cards { grid-template-columns: 1fr; } }`,
})
export class SchedulePage implements OnInit {
  protected readonly store = inject(PostsStore);
  protected readonly statsStore = inject(ScheduleStatsStore);
  protected readonly actions = inject(PostActions);
  protected readonly auth = inject(AuthStore);
  protected readonly prefs = inject(PreferencesService);
  private readonly dialog = inject(MatDialog);
  private readonly plugins = inject(PluginsApi);
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  protected readonly search = signal('');
  protected readonly status = signal<PostStatus | ''>('');
  protected readonly platform = signal('');
  protected readonly showDeleted = signal(false);
  private readonly accountPlatforms = signal<string[]>([]);

  protected readonly platforms = computed(() =>
    [...new Set([...this.accountPlatforms(), ...this.store.posts().flatMap((p) => p.targets.map((t) => t.platform)), this.platform()])]
      .filter(Boolean)
      .sort(),
  );
  protected readonly visible = this.store.posts;
  protected readonly stats = this.statsStore.cards;

  ngOnInit(): void {
    void this.store.list.load();
    void this.statsStore.stats.load();
    void this.plugins.accounts().then(
      (list) => this.accountPlatforms.set(list.map((a) => a.platform)),
      () => undefined,
    );
  }

  protected setSearch(q: string): void {
    this.search.set(q);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.applyFilter(), 300);
  }

  protected setStatus(s: PostStatus | ''): void {
    this.status.set(s);
    this.applyFilter();
  }

  protected setPlatform(p: string): void {
    this.platform.set(p);
    this.applyFilter();
  }

  protected setDeleted(on: boolean): void {
    this.showDeleted.set(on);
    this.applyFilter();
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

  private applyFilter(): void {
    this.store.setFilter({
      q: this.search().trim() || undefined,
      status: this.status() || undefined,
      platform: this.platform() || undefined,
      includeDeleted: this.showDeleted() || this.status() === 'cancelled' || undefined,
    });
  }
}
