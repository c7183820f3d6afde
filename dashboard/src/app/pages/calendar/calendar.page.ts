import { CdkDragDrop, DragDropModule } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, DestroyRef, Injector, OnInit, afterNextRender, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { Router } from '@angular/router';
import { DateTime } from 'luxon';
import { ApiError, toApiError } from '../../core/api/api-error';
import { CalendarChip, PostsApi } from '../../core/api/posts.api';
import { AuthStore } from '../../core/auth/auth.store';
import { coalesce } from '../../core/events/coalesce';
import { EventStream } from '../../core/events/event-stream.service';
import { CLOCK } from '../../core/util/clock';
import { Notify } from '../../core/util/notify.service';
import { PreferencesService } from '../../core/util/preferences.service';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { openComposer } from '../composer/open-composer';
import { canEditPost } from '../composer/post-editor';
import { CalendarView, DayCell, PlacedChip, composeAt, dayCells, moveTo, placeChips, rangeFor } from './calendar-layout';

const MOVABLE = new Set(['pending', 'paused', 'retry_wait']);
const EDITABLE = new Set(['pending', 'paused', 'retry_wait', 'failed', 'cancelled']);

/**
 * Month / week / day views over one lean range request (GET /api/schedule/calendar). Cells and hours
 * cap their chips, so a month of 5,000 posts draws a bounded DOM; live events refetch at most once a second.
 */
@Component({
  selector: 'sx-calendar-page',
  imports: [DragDropModule, MatButtonModule, MatButtonToggleModule, MatIconModule, LoadStateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './calendar.page.html',
  styleUrl: './calendar.page.scss',
})
export class CalendarPage implements OnInit {
  private readonly api = inject(PostsApi);
  private readonly notify = inject(Notify);
  private readonly clock = inject(CLOCK);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly events = inject(EventStream);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthStore);
  private readonly prefs = inject(PreferencesService);

  protected readonly view = signal<CalendarView>('month');
  protected readonly anchor = signal<DateTime>(DateTime.fromMillis(this.clock.now(), { zone: this.zone() }));
  protected readonly chips = signal<CalendarChip[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly truncated = signal(false);
  /** Request start to chips on screen, for the last load (shown, and read by the browser tests). */
  protected readonly renderMs = signal<number | null>(null);
  protected readonly expandedHour = signal<number | null>(null);
  protected readonly weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  protected readonly hours = Array.from({ length: 24 }, (_, h) => h);
  private generation = 0;

  protected readonly title = computed(() => {
    const a = this.anchor();
    if (this.view() === 'month') return a.toFormat('LLLL yyyy');
    if (this.view() === 'week') {
      const r = rangeFor('week', a);
      return `${r.start.toFormat('d LLL')} – ${r.end.toFormat('d LLL yyyy')}`;
    }
    return a.toFormat('cccc d LLLL yyyy');
  });

  protected readonly cells = computed<DayCell[]>(() => {
    const today = DateTime.fromMillis(this.clock.now(), { zone: this.zone() }).toISODate() ?? '';
    const range = rangeFor(this.view(), this.anchor());
    return dayCells(this.view(), this.anchor(), placeChips(this.chips(), range), today);
  });

  protected readonly hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

  ngOnInit(): void {
    void this.load();
    const sub = coalesce(this.events.on('post.'), () => void this.load());
    this.destroyRef.onDestroy(() => sub.unsubscribe());
  }

  protected setView(v: CalendarView): void {
    this.view.set(v);
    this.expandedHour.set(null);
    void this.load();
  }

  protected shift(dir: -1 | 0 | 1): void {
    const unit = this.view() === 'month' ? 'months' : this.view() === 'week' ? 'weeks' : 'days';
    this.anchor.set(dir === 0 ? DateTime.fromMillis(this.clock.now(), { zone: this.zone() }) : this.anchor().plus({ [unit]: dir }));
    this.expandedHour.set(null);
    void this.load();
  }

  protected openDay(cell: DayCell): void {
    this.anchor.set(cell.date);
    this.setView('day');
  }

  protected movable(c: PlacedChip): boolean {
    return this.auth.canEdit() && MOVABLE.has(c.status);
  }

  protected chipLabel(c: PlacedChip): string {
    const hint = !this.auth.canEdit() ? 'open' : EDITABLE.has(c.status) ? 'edit' : 'open';
    return `${c.time} ${c.label}, ${c.status} on ${c.platforms.join(', ')}. Press Enter to ${hint}.`;
  }

  /** A chip opens the editor when the post can still change, its detail page otherwise. */
  protected async openChip(c: PlacedChip, e?: Event): Promise<void> {
    e?.stopPropagation();
    if (!this.auth.canEdit() || !EDITABLE.has(c.status)) return void this.router.navigate(['/posts', c.postId]);
    try {
      const post = await this.api.get(c.postId);
      if (!canEditPost(post)) return void this.router.navigate(['/posts', c.postId]);
      if (await openComposer(this.dialog, { post, mode: 'edit' })) await this.load();
    } catch (err) {
      this.notify.error(err);
    }
  }

  /** Click on a day or an hour: a new post starting there. */
  protected async compose(dayKey: string, hour?: number, e?: Event): Promise<void> {
    e?.stopPropagation();
    if (!this.auth.canEdit()) return;
    const dueAt = composeAt(dayKey, this.zone(), this.clock.now(), hour) ?? undefined;
    if (await openComposer(this.dialog, { dueAt })) await this.load();
  }

  /** Drop on another day (month) or hour (week): same minutes, new slot; rolled back if the server refuses. */
  protected async drop(e: CdkDragDrop<string, string, PlacedChip>): Promise<void> {
    const chip = e.item.data;
    if (e.previousContainer === e.container || !this.movable(chip)) return;
    const [dayKey, hour] = e.container.data.split('|');
    const dueAt = moveTo({ dueAt: chip.dueAt, zone: this.zone() }, dayKey, hour === undefined ? undefined : Number(hour));
    if (!dueAt) return;
    const before = this.chips();
    this.chips.set(before.map((c) => (c.postId === chip.postId && c.dueAt === chip.dueAt ? { ...c, dueAt } : c)));
    try {
      await this.api.reschedule(chip.postId, dueAt, chip.zone);
      this.notify.ok('Rescheduled');
      await this.load();
    } catch (err) {
      this.chips.set(before);
      this.notify.error(err);
    }
  }

  private zone(): string {
    return this.prefs.prefs().zone;
  }

  private async load(): Promise<void> {
    const gen = ++this.generation;
    const { start, end } = rangeFor(this.view(), this.anchor());
    const t0 = performance.now();
    this.loading.set(true);
    this.error.set(null);
    try {
      const res = await this.api.calendar(start.toUTC().toISO() ?? '', end.toUTC().toISO() ?? '');
      if (gen !== this.generation) return;
      this.truncated.set(res.truncated);
      this.chips.set(res.items);
      afterNextRender(() => gen === this.generation && this.renderMs.set(Math.round(performance.now() - t0)), { injector: this.injector });
    } catch (err) {
      if (gen === this.generation) this.error.set(toApiError(err));
    } finally {
      if (gen === this.generation) this.loading.set(false);
    }
  }
}
