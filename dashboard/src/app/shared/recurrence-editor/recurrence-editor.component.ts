import { ChangeDetectionStrategy, Component, computed, inject, input, model } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Recurrence, RecurrenceType } from '../../core/api/recurrence';
import { CLOCK } from '../../core/util/clock';
import { previewRuns } from '../../core/util/recurrence-preview';
import { formatInZone } from '../../core/util/time';

const WEEKDAYS = [
  { n: 1, label: 'Mon' }, { n: 2, label: 'Tue' }, { n: 3, label: 'Wed' }, { n: 4, label: 'Thu' },
  { n: 5, label: 'Fri' }, { n: 6, label: 'Sat' }, { n: 0, label: 'Sun' },
];
const CRON_EXAMPLES = ['0 9 * * 1-5', '30 18 * * 5', '0 */6 * * *'];

/** Seed 003's recurrence picker (once, daily, weekly days, monthly day, cron) with a next-runs preview. */
@Component({
  selector: 'sx-recurrence-editor',
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonToggleModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './recurrence-editor.component.html',
  styles: `
    :host { display: grid; gap: 8px; }
    .sx-row { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
    ol { margin: 4px 0; padding-left: 20px; }
    .sx-err { color: var(--mat-sys-error); }
  `,
})
export class RecurrenceEditorComponent {
  private readonly clock = inject(CLOCK);
  readonly value = model.required<Recurrence>();
  readonly zone = input.required<string>();
  /** The first (or only) run, for `once` and as the start of the series. */
  readonly startAt = input<string | null>(null);

  protected readonly weekdays = WEEKDAYS;
  protected readonly days = Array.from({ length: 31 }, (_, i) => i + 1);
  protected readonly cronExamples = CRON_EXAMPLES;

  protected readonly preview = computed(() => {
    const start = this.startAt();
    const from = Math.max(this.clock.now(), start ? Date.parse(start) - 1 : 0);
    return previewRuns(this.value(), this.zone(), from, 5, start);
  });
  protected readonly previewText = computed(() => {
    const p = this.preview();
    return p.ok ? p.runs.map((r) => formatInZone(r, this.zone())) : [];
  });
  protected readonly previewError = computed(() => {
    const p = this.preview();
    return p.ok ? '' : p.error;
  });
  protected readonly time = computed(() => {
    const v = this.value();
    return v.type === 'daily' || v.type === 'weekly' || v.type === 'monthly' ? v.time : '09:00';
  });

  protected setType(type: RecurrenceType): void {
    const time = this.time();
    const cur = this.value();
    const next: Record<RecurrenceType, Recurrence> = {
      once: { type: 'once' },
      daily: { type: 'daily', time },
      weekly: { type: 'weekly', time, weekdays: cur.type === 'weekly' ? cur.weekdays : [1] },
      monthly: { type: 'monthly', time, dayOfMonth: cur.type === 'monthly' ? cur.dayOfMonth : 1 },
      custom: { type: 'custom', cron: cur.type === 'custom' ? cur.cron : '0 9 * * 1-5' },
    };
    this.value.set(next[type]);
  }

  protected setTime(time: string): void {
    const v = this.value();
    if (v.type === 'daily' || v.type === 'weekly' || v.type === 'monthly') this.value.set({ ...v, time });
  }

  protected setWeekdays(days: number[]): void {
    const v = this.value();
    if (v.type === 'weekly') this.value.set({ ...v, weekdays: days });
  }

  protected setDay(day: number): void {
    const v = this.value();
    if (v.type === 'monthly') this.value.set({ ...v, dayOfMonth: day });
  }

  protected setCron(cron: string): void {
    if (this.value().type === 'custom') this.value.set({ type: 'custom', cron });
  }

  protected weekdaysOf(v: Recurrence): number[] {
    return v.type === 'weekly' ? v.weekdays : [];
  }
  protected dayOf(v: Recurrence): number {
    return v.type === 'monthly' ? v.dayOfMonth : 1;
  }
  protected cronOf(v: Recurrence): string {
    return v.type === 'custom' ? v.cron : '';
  }
}
