import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { RouterLink } from '@angular/router';
import { MediaApi } from '../../core/api/media.api';
import { SystemApi, HealthReport } from '../../core/api/system.api';
import { EventStream } from '../../core/events/event-stream.service';
import { Ticker } from '../../core/util/clock';
import { Loadable } from '../../core/util/loadable';
import { formatInZone } from '../../core/util/time';
import { CountdownComponent } from '../../shared/countdown/countdown.component';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { StatCardComponent } from '../../shared/stat-card/stat-card.component';
import { PostsStore } from '../schedule/posts.store';
import { ScheduleStatsStore } from '../schedule/schedule-stats';

/** How many of the earliest pending posts Home reads: enough for "next due" and the late banner. */
const LATE_WINDOW = 50;
import { describeEvent } from '../activity/describe-event';
import { openComposer } from '../composer/open-composer';
import { GettingStartedComponent } from './getting-started.component';
import { MatDialog } from '@angular/material/dialog';

/** Overview: counts, next due posts with countdowns, live activity, service health, late-post banner. */
@Component({
  selector: 'sx-home-page',
  imports: [
    RouterLink, MatCardModule, MatIconModule, MatListModule, MatButtonModule, CountdownComponent, LoadStateComponent,
    StatCardComponent, GettingStartedComponent,
  ],
  providers: [PostsStore, ScheduleStatsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './home.page.html',
  styles: `
    .sx-home { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 16px; }
    @media (max-width: 1000px) { .sx-home { grid-template-columns: minmax(0, 1fr); } }
    .sx-home mat-card { min-width: 0; }
    mat-card { padding: 8px 0; }
    .sx-health-up { color: var(--sx-ok-text, #137333); } .sx-health-down { color: var(--mat-sys-error); } .sx-health-degraded { color: var(--sx-warn-text, #8a5a00); }
  `,
})
export class HomePage implements OnInit {
  private readonly mediaApi = inject(MediaApi);
  private readonly systemApi = inject(SystemApi);
  private readonly ticker = inject(Ticker);
  private readonly dialog = inject(MatDialog);
  protected readonly store = inject(PostsStore);
  private readonly statsStore = inject(ScheduleStatsStore);
  protected readonly events = inject(EventStream);

  protected readonly media = new Loadable(() => this.mediaApi.list({ limit: 200 }));
  protected readonly health = new Loadable<HealthReport>(() => this.systemApi.health());

  protected readonly mediaCount = computed(() => {
    const page = this.media.value();
    return page ? (page.total ?? page.items.length) : null;
  });

  /** The scheduler's counts over every job (not a count of the loaded page). */
  protected readonly counts = this.statsStore.cards;

  /** The earliest pending posts, from the server's feed: the next ones due, and any already overdue. */
  protected readonly upcoming = computed(() => this.store.posts().filter((p) => Date.parse(p.dueAt) >= this.ticker.now() - 60_000).slice(0, 6));

  /** A pending post more than a minute past due means the scheduler is behind or down. */
  protected readonly late = computed(() => this.store.posts().filter((p) => Date.parse(p.dueAt) < this.ticker.now() - 60_000));

  protected readonly activity = computed(() => this.events.recent().slice(0, 12).map(describeEvent));
  protected readonly fmt = (iso: string, zone: string) => formatInZone(iso, zone, 'ccc HH:mm');

  protected async newPost(): Promise<void> {
    const created = await openComposer(this.dialog);
    if (created) void this.store.list.load();
  }

  ngOnInit(): void {
    this.store.setFilter({ status: 'pending', limit: LATE_WINDOW });
    void this.statsStore.stats.load();
    void this.media.load();
    void this.health.load();
  }
}
