import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { ScheduledTask, TaskExecution, TasksApi } from '../../core/api/tasks.api';
import { AuthStore } from '../../core/auth/auth.store';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { PreferencesService } from '../../core/util/preferences.service';
import { formatInZone } from '../../core/util/time';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { StatCardComponent } from '../../shared/stat-card/stat-card.component';
import { describeRecurrence } from './describe-recurrence';
import { TaskDialog } from './task.dialog';

/** Seed 003's ScheduledTasksManager: stat cards, search + filters, controls, next/last run, history. */
@Component({
  selector: 'sx-recurring-page',
  imports: [
    FormsModule, MatButtonModule, MatExpansionModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule,
    LoadStateComponent, StatCardComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './recurring.page.html',
  styles: `
    .sx-meta { display: flex; gap: 16px; flex-wrap: wrap; color: var(--mat-sys-on-surface-variant); }
    .sx-ctrl { display: flex; gap: 4px; flex-wrap: wrap; margin: 8px 0; }
    table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sx-task-status { text-transform: capitalize; }
  `,
})
export class RecurringPage implements OnInit {
  private readonly api = inject(TasksApi);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(Notify);
  protected readonly zone = inject(PreferencesService).prefs().zone;
  protected readonly auth = inject(AuthStore);
  protected readonly tasks = new Loadable(async () => (await this.api.list()).items);
  /** Counts of schedules (not of the publish jobs they made): from the list itself. */
  protected readonly counts = computed(() => {
    const list = this.tasks.value();
    if (!list) return null;
    return {
      total: list.length,
      active: list.filter((t) => t.status === 'pending' || t.status === 'running').length,
      paused: list.filter((t) => t.status === 'paused').length,
      failed: list.filter((t) => t.status === 'failed').length,
    };
  });
  protected readonly history = signal<Record<string, TaskExecution[] | string>>({});
  protected readonly search = signal('');
  protected readonly status = signal('');
  protected readonly type = signal('');
  protected readonly describe = describeRecurrence;
  /** Every time in the user's zone (shown in the page), whatever zone a schedule runs in. */
  protected readonly fmt = (iso: string | null | undefined) => formatInZone(iso, this.zone);

  protected readonly visible = computed(() => {
    const q = this.search().trim().toLowerCase();
    return (this.tasks.value() ?? []).filter(
      (t) =>
        (!q || t.name.toLowerCase().includes(q)) &&
        (!this.status() || t.status === this.status()) &&
        (!this.type() || t.taskType === this.type()),
    );
  });

  ngOnInit(): void {
    void this.tasks.load();
  }

  protected async create(task?: ScheduledTask): Promise<void> {
    const ref = this.dialog.open(TaskDialog, { data: task ?? null, width: 'min(720px, 96vw)' });
    const saved = await firstValueFrom(ref.afterClosed());
    if (!saved) return;
    this.tasks.update((l) => (l.some((t) => t.id === saved.id) ? l.map((t) => (t.id === saved.id ? saved : t)) : [saved, ...l]));
  }

  protected async control(task: ScheduledTask, action: 'pause' | 'resume' | 'execute' | 'delete'): Promise<void> {
    try {
      if (action === 'delete') {
        const ok = await confirmAction(this.dialog, { title: `Delete “${task.name}”?`, message: 'Future runs are cancelled; history is kept.', confirm: 'Delete', danger: true });
        if (!ok) return;
        await this.api.remove(task.id);
        this.tasks.update((l) => l.filter((t) => t.id !== task.id));
        this.notify.ok('Task deleted');
      } else if (action === 'execute') {
        await this.api.execute(task.id);
        this.notify.ok(`“${task.name}” is running now`);
        await this.loadHistory(task.id);
      } else {
        const updated = action === 'pause' ? await this.api.pause(task.id) : await this.api.resume(task.id);
        this.tasks.update((l) => l.map((t) => (t.id === task.id ? updated : t)));
        this.notify.ok(action === 'pause' ? 'Paused' : 'Resumed');
      }
      } catch (err) {
      this.notify.error(err);
    }
  }

  protected async loadHistory(id: string): Promise<void> {
    try {
      const page = await this.api.executions(id);
      this.history.update((h) => ({ ...h, [id]: page.items }));
    } catch (err) {
      this.history.update((h) => ({ ...h, [id]: err instanceof Error ? err.message : 'Could not load history' }));
    }
  }

  protected runs(id: string): TaskExecution[] | null {
    const h = this.history()[id];
    return Array.isArray(h) ? h : null;
  }

  protected historyError(id: string): string | null {
    const h = this.history()[id];
    return typeof h === 'string' ? h : null;
  }
}
