import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { Account, PluginsApi } from '../../core/api/plugins.api';
import type { PostView } from '../../core/api/scheduler-wire';
import { Recurrence } from '../../core/api/recurrence';
import { NewTask, ScheduledTask, TaskType, TasksApi } from '../../core/api/tasks.api';
import { CLOCK } from '../../core/util/clock';
import { PreferencesService } from '../../core/util/preferences.service';
import { utcToZoned, zonedToUtc } from '../../core/util/time';
import { RecurrenceEditorComponent } from '../../shared/recurrence-editor/recurrence-editor.component';
import { ZonePickerComponent } from '../../shared/zone-picker/zone-picker.component';

/** Seed 003's SchedulingModal for our safe task types: publish a post, run the pipeline, call a webhook. */
@Component({
  selector: 'sx-task-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, RecurrenceEditorComponent, ZonePickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `.sx-grid { display: grid; gap: 8px; } .sx-row { display: flex; gap: 8px; flex-wrap: wrap; } .sx-err { color: var(--mat-sys-error); }`,
  template: `
    <h2 mat-dialog-title>{{ existing ? 'Edit schedule' : 'New recurring schedule' }}</h2>
    <mat-dialog-content class="sx-grid">
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput [ngModel]="name()" (ngModelChange)="name.set($event)" required maxlength="120" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description</mat-label>
        <input matInput [ngModel]="description()" (ngModelChange)="description.set($event)" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Action</mat-label>
        <mat-select [value]="taskType()" (selectionChange)="taskType.set($event.value)">
          <mat-option value="publish_post">Publish a post</mat-option>
          <mat-option value="run_pipeline">Run the pipeline</mat-option>
          <mat-option value="call_webhook">Call a webhook</mat-option>
        </mat-select>
      </mat-form-field>
      @if (taskType() === 'publish_post') {
        <mat-form-field>
          <mat-label>Post to publish</mat-label>
          <mat-select [value]="target()" (selectionChange)="target.set($event.value)" required data-testid="task-post">
            @for (p of posts(); track p.id) {
              <mat-option [value]="p.id">{{ p.label }}</mat-option>
            }
          </mat-select>
          <mat-hint>{{ posts().length ? 'The post is published again on every run' : 'No posts yet: write one with New post first' }}</mat-hint>
        </mat-form-field>
      } @else if (taskType() === 'run_pipeline') {
        <mat-form-field>
          <mat-label>Pipeline</mat-label>
          <input matInput [ngModel]="target()" (ngModelChange)="target.set($event)" placeholder="default" />
        </mat-form-field>
      } @else if (taskType() === 'call_webhook') {
        <mat-form-field>
          <mat-label>Webhook</mat-label>
          <mat-select [value]="target()" (selectionChange)="target.set($event.value)" required data-testid="task-webhook">
            @for (a of webhooks(); track a.id) {
              <mat-option [value]="a.id">{{ a.displayName }}</mat-option>
            }
          </mat-select>
          @if (!webhooks().length) { <mat-hint>Connect a webhook under Accounts &amp; plugins first</mat-hint> }
        </mat-form-field>
      }
      <div class="sx-row">
        <mat-form-field>
          <mat-label>Start date</mat-label>
          <input matInput type="date" [ngModel]="date()" (ngModelChange)="date.set($event)" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Start time</mat-label>
          <input matInput type="time" [ngModel]="time()" (ngModelChange)="time.set($event)" />
        </mat-form-field>
      </div>
      <sx-zone-picker [zone]="zone()" (zoneChange)="zone.set($event)" />
      <sx-recurrence-editor [(value)]="recurrence" [zone]="zone()" [startAt]="startAt()" />
      @if (error()) {
        <p class="sx-err" role="alert">{{ error() }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="!valid() || busy()" (click)="save()">
        {{ existing ? 'Save' : 'Schedule task' }}
      </button>
    </mat-dialog-actions>
  `,
})
export class TaskDialog {
  private readonly api = inject(TasksApi);
  private readonly client = inject(ApiClient);
  private readonly plugins = inject(PluginsApi);
  private readonly ref = inject<MatDialogRef<TaskDialog, ScheduledTask>>(MatDialogRef);
  protected readonly existing = inject<ScheduledTask | null>(MAT_DIALOG_DATA);
  private readonly now = inject(CLOCK).now();
  protected readonly name = signal(this.existing?.name ?? '');
  protected readonly description = signal(this.existing?.description ?? '');
  protected readonly taskType = signal<TaskType>(this.existing?.taskType ?? 'publish_post');
  protected readonly target = signal(String(this.existing?.payload['postId'] ?? this.existing?.payload['accountId'] ?? this.existing?.payload['pipeline'] ?? ''));
  protected readonly zone = signal(this.existing?.zone ?? inject(PreferencesService).prefs().zone);
  protected readonly recurrence = signal<Recurrence>(this.existing?.recurrence ?? { type: 'daily', time: '09:00' });
  private readonly start = utcToZoned(this.existing?.nextRunAt ?? new Date(this.now + 3_600_000).toISOString(), this.zone());
  protected readonly date = signal(this.start.date);
  protected readonly time = signal(this.start.time);
  protected readonly busy = signal(false);
  protected readonly posts = signal<{ id: string; label: string }[]>([]);
  protected readonly webhooks = signal<Account[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly startAt = computed(() => zonedToUtc(this.date(), this.time(), this.zone()));
  protected readonly valid = computed(
    () => this.name().trim().length > 0 && !!this.startAt() && (this.taskType() === 'run_pipeline' || this.target().trim().length > 0),
  );

  constructor() {
    void this.loadChoices();
  }

  /** Posts and webhook accounts to choose from by name (never typed ids). */
  private async loadChoices(): Promise<void> {
    const [posts, accounts] = await Promise.all([
      this.client.get<{ items: PostView[] }>('/api/posts', { limit: 100 }).then((r) => r.items, () => [] as PostView[]),
      this.plugins.accounts().catch(() => [] as Account[]),
    ]);
    const label = (p: PostView) => (p.title?.trim() || p.text.trim().slice(0, 60) || 'Untitled post') + (p.targets.length ? ` → ${[...new Set(p.targets.map((t) => t.platform))].join(', ')}` : '');
    const choices = posts.filter((p) => !p.deletedAt).map((p) => ({ id: p.id, label: label(p) }));
    const current = this.existing?.payload['postId'];
    if (typeof current === 'string' && !choices.some((c) => c.id === current)) choices.unshift({ id: current, label: 'The post this schedule publishes (deleted or older)' });
    this.posts.set(choices);
    this.webhooks.set(accounts.filter((a) => a.platform === 'webhook' && a.status === 'connected'));
  }

  protected async save(): Promise<void> {
    const startAt = this.startAt();
    if (!this.valid() || !startAt) return;
    const payload: Record<string, unknown> =
      this.taskType() === 'publish_post' ? { postId: this.target().trim() } : this.taskType() === 'call_webhook' ? { accountId: this.target().trim() } : { pipeline: this.target().trim() || 'default' };
    const body: NewTask = {
      name: this.name().trim(),
      description: this.description().trim() || undefined,
      taskType: this.taskType(),
      recurrence: this.recurrence(),
      zone: this.zone(),
      startAt,
      payload,
    };
    this.busy.set(true);
    this.error.set(null);
    try {
      this.ref.close(this.existing ? await this.api.update(this.existing.id, body) : await this.api.create(body));
    } catch (err) {
      this.error.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}
