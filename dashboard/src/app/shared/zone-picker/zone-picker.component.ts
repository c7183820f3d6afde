import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { isValidZone, knownZones } from '../../core/util/time';

const ZONES = knownZones();

/** IANA time-zone field with type-ahead; emits only valid zones. */
@Component({
  selector: 'sx-zone-picker',
  imports: [MatFormFieldModule, MatInputModule, MatAutocompleteModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="sx-full">
      <mat-label>Time zone</mat-label>
      <input
        matInput
        [value]="zone()"
        [matAutocomplete]="auto"
        (input)="typed.set($any($event.target).value)"
        (blur)="commit($any($event.target).value)"
        aria-describedby="zone-hint"
        data-testid="zone-input"
      />
      <mat-autocomplete #auto="matAutocomplete" (optionSelected)="commit($event.option.value)">
        @for (z of matches(); track z) {
          <mat-option [value]="z">{{ z }}</mat-option>
        }
      </mat-autocomplete>
      @if (invalid()) {
        <mat-hint id="zone-hint" class="sx-overdue">Unknown time zone</mat-hint>
      }
    </mat-form-field>
  `,
})
export class ZonePickerComponent {
  readonly zone = input.required<string>();
  readonly zoneChange = output<string>();
  protected readonly typed = signal('');
  protected readonly invalid = signal(false);
  protected readonly matches = computed(() => {
    const q = this.typed().toLowerCase();
    return (q ? ZONES.filter((z) => z.toLowerCase().includes(q)) : ZONES).slice(0, 50);
  });

  protected commit(value: string): void {
    const ok = isValidZone(value);
    this.invalid.set(!ok);
    if (ok && value !== this.zone()) this.zoneChange.emit(value);
  }
}
