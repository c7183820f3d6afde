import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { toApiError } from '../../core/api/api-error';
import { Account, PluginsApi, SlotConfig } from '../../core/api/plugins.api';
import { PreferencesService } from '../../core/util/preferences.service';
import { formatInZone } from '../../core/util/time';
import { ZonePickerComponent } from '../../shared/zone-picker/zone-picker.component';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An account's posting slots (times of day in a zone) and the minimum gap between two of its posts. */
@Component({
  selector: 'sx-slots-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, ZonePickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .sx-grid { display: grid; gap: 8px; min-width: min(440px, 80vw); }
    .sx-times { display: flex; flex-wrap: wrap; gap: 6px; }
    .sx-time { display: inline-flex; align-items: center; gap: 2px; padding: 2px 4px 2px 10px; border-radius: 16px; border: 1px solid var(--mat-sys-outline-variant); }
    .sx-add { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
    .sx-err { color: var(--mat-sys-error); }
    ol { margin: 4px 0; padding-left: 20px; }
  `,
  template: `
    <h2 mat-dialog-title>Posting times for {{ account.displayName }}</h2>
    <mat-dialog-content class="sx-grid">
      <p class="sx-muted">“Next free slot” scheduling picks the first of these times that keeps the gap below to this account's other posts.</p>
      @if (loaded()) {
        <div class="sx-times" role="list" aria-label="Posting times" data-testid="slot-times">
          @for (t of times(); track t) {
            <span class="sx-time" role="listitem">
              {{ t }}
              <button mat-icon-button type="button" (click)="remove(t)" [attr.aria-label]="'Remove ' + t"><mat-icon>close</mat-icon></button>
            </span>
          } @empty {
            <span class="sx-muted">No times yet: add at least one.</span>
          }
        </div>
        <div class="sx-add">
          <mat-form-field>
            <mat-label>Add a time</mat-label>
            <input matInput type="time" [(ngModel)]="newTime" data-testid="slot-new-time" />
          </mat-form-field>
          <button mat-stroked-button type="button" (click)="add()" [disabled]="!validNew()" data-testid="slot-add">Add</button>
        </div>
        <sx-zone-picker [zone]="zone()" (zoneChange)="zone.set($event)" />
        <mat-form-field>
          <mat-label>Minimum gap between posts (minutes)</mat-label>
          <input matInput type="number" min="0" [max]="7 * 24 * 60" [ngModel]="spacing()" (ngModelChange)="spacing.set(+$event)" data-testid="slot-spacing" />
        </mat-form-field>
        @if (next().length) {
          <div>
            <span class="sx-muted">Next free slots:</span>
            <ol data-testid="slot-next">
              @for (n of next(); track n) {
                <li>{{ n }}</li>
              }
            </ol>
          </div>
        }
      }
      @if (error()) {
        <p class="sx-err" role="alert">{{ error() }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="save()" [disabled]="busy() || !canSave()" data-testid="slot-save">Save</button>
    </mat-dialog-actions>
  `,
})
export class SlotsDialog implements OnInit {
  private readonly api = inject(PluginsApi);
  private readonly ref = inject<MatDialogRef<SlotsDialog, SlotConfig>>(MatDialogRef);
  protected readonly account = inject<Account>(MAT_DIALOG_DATA);
  private readonly prefs = inject(PreferencesService);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly times = signal<string[]>([]);
  protected readonly zone = signal('UTC');
  protected readonly spacing = signal(60);
  protected readonly next = signal<string[]>([]);
  protected newTime = '';
  protected readonly canSave = computed(
    () => this.loaded() && this.times().length > 0 && Number.isInteger(this.spacing()) && this.spacing() >= 0 && this.spacing() <= 7 * 24 * 60,
  );

  async ngOnInit(): Promise<void> {
    try {
      const c = await this.api.slots(this.account.id);
      this.times.set(c.times);
      this.zone.set(c.zone);
      this.spacing.set(c.spacingMinutes);
      this.loaded.set(true);
      await this.loadNext();
    } catch (err) {
      this.error.set(toApiError(err).message);
    }
  }

  protected validNew(): boolean {
    return HHMM.test(this.newTime.slice(0, 5)) && !this.times().includes(this.newTime.slice(0, 5));
  }

  protected add(): void {
    if (!this.validNew()) return;
    this.times.update((t) => [...t, this.newTime.slice(0, 5)].sort());
    this.newTime = '';
  }

  protected remove(t: string): void {
    this.times.update((list) => list.filter((x) => x !== t));
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const saved = await this.api.setSlots({ accountId: this.account.id, zone: this.zone(), times: this.times(), spacingMinutes: this.spacing() });
      this.ref.close(saved);
    } catch (err) {
      this.error.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  private async loadNext(): Promise<void> {
    try {
      const slots = await this.api.nextSlots(this.account.id, 3);
      this.next.set(slots.map((s) => formatInZone(s.at, this.prefs.prefs().zone)));
    } catch {
      this.next.set([]);
    }
  }
}
