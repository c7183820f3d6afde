import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ZonePickerComponent } from '../../shared/zone-picker/zone-picker.component';
import { formatInZone, utcToZoned, zonedToUtc } from '../../core/util/time';

export interface RescheduleData {
  dueAt: string;
  zone: string;
}

/** Pick a new local date and time in an IANA zone; returns the UTC instant and zone. */
@Component({
  selector: 'sx-reschedule-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, ZonePickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Reschedule</h2>
    <mat-dialog-content class="sx-grid">
      <mat-form-field>
        <mat-label>Date</mat-label>
        <input matInput type="date" [ngModel]="date()" (ngModelChange)="date.set($event)" required />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Time</mat-label>
        <input matInput type="time" [ngModel]="time()" (ngModelChange)="time.set($event)" required />
      </mat-form-field>
      <sx-zone-picker [zone]="zone()" (zoneChange)="zone.set($event)" />
      <p class="sx-muted" aria-live="polite">
        {{ instant() ? 'Will post ' + preview() : 'Enter a valid date and time' }}
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="!instant()" (click)="save()">Reschedule</button>
    </mat-dialog-actions>
  `,
  styles: `.sx-grid { display: grid; gap: 8px; min-width: min(360px, 80vw); }`,
})
export class RescheduleDialogComponent {
  private readonly ref = inject<MatDialogRef<RescheduleDialogComponent, RescheduleData>>(MatDialogRef);
  private readonly data = inject<RescheduleData>(MAT_DIALOG_DATA);
  protected readonly zone = signal(this.data.zone);
  protected readonly date = signal(utcToZoned(this.data.dueAt, this.data.zone).date);
  protected readonly time = signal(utcToZoned(this.data.dueAt, this.data.zone).time);
  protected readonly instant = computed(() => zonedToUtc(this.date(), this.time(), this.zone()));
  protected readonly preview = computed(() => formatInZone(this.instant(), this.zone()));

  protected save(): void {
    const dueAt = this.instant();
    if (dueAt) this.ref.close({ dueAt, zone: this.zone() });
  }
}
