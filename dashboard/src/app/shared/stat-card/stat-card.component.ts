import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';

@Component({
  selector: 'sx-stat-card',
  imports: [MatCardModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="sx-stat sx-stat-{{ tone() }}" [attr.aria-label]="label() + ': ' + display()">
      <mat-icon aria-hidden="true">{{ icon() }}</mat-icon>
      <div>
        <div class="sx-stat-value" data-testid="stat-value">{{ display() }}</div>
        <div class="sx-stat-label">{{ label() }}</div>
      </div>
    </mat-card>
  `,
})
export class StatCardComponent {
  readonly label = input.required<string>();
  readonly value = input<number | null | undefined>(null);
  readonly icon = input('insights');
  readonly tone = input<'neutral' | 'ok' | 'bad' | 'pending'>('neutral');
  protected display(): string {
    const v = this.value();
    return v === null || v === undefined ? '—' : String(v);
  }
}
