import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RateLimitBudget } from '../../core/api/plugins.api';
import { CountdownComponent } from '../../shared/countdown/countdown.component';

/** "3 / 5 posts left, full again in 24s" with a bar, as the publisher's token bucket reports it. */
@Component({
  selector: 'sx-rate-limit-budget',
  imports: [MatProgressBarModule, CountdownComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'rate-limit-budget', '[class.sx-exhausted]': 'exhausted()' },
  template: `
    <mat-progress-bar mode="determinate" [value]="percent()" [attr.aria-label]="label()" />
    <small>
      <span data-testid="budget-text">{{ budget().remaining }} / {{ budget().capacity }} left</span>
      @if (budget().resetsAt; as at) {
        · {{ exhausted() ? 'resumes' : 'full' }} <sx-countdown [at]="at" />
      }
      <span class="sx-muted" data-testid="budget-source">({{ sourceText() }})</span>
    </small>
  `,
  styles: `
    :host { display: grid; gap: 4px; min-width: 140px; }
    :host(.sx-exhausted) small { color: var(--mat-sys-error); }
  `,
})
export class RateLimitBudgetComponent {
  readonly budget = input.required<RateLimitBudget>();
  readonly percent = computed(() => Math.round((100 * this.budget().remaining) / this.budget().capacity));
  readonly exhausted = computed(() => this.budget().remaining === 0);
  readonly sourceText = computed(() => (this.budget().source === 'headers' ? 'as the platform reported' : 'from the plugin manifest'));
  readonly label = computed(() => `Rate limit: ${this.budget().remaining} of ${this.budget().capacity} requests left`);
}
