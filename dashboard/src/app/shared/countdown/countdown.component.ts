import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { Ticker } from '../../core/util/clock';
import { formatCountdown } from '../../core/util/time';

/** Live "in 4m 05s" text driven by the shared one-second ticker. */
@Component({
  selector: 'sx-countdown',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.sx-overdue]': 'overdue()', 'data-testid': 'countdown' },
  template: `<span [attr.aria-label]="label()">{{ text() }}</span>`,
})
export class CountdownComponent {
  private readonly ticker = inject(Ticker);
  readonly at = input.required<string>();
  readonly remaining = computed(() => Date.parse(this.at()) - this.ticker.now());
  readonly overdue = computed(() => this.remaining() < 0);
  readonly text = computed(() => (this.overdue() ? '' : 'in ') + formatCountdown(this.remaining()));
  readonly label = computed(() => `Due ${this.text()}`);
}
