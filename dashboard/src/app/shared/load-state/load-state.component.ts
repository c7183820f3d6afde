import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiError } from '../../core/api/api-error';

/**
 * Wraps a page section: a progress bar while loading, the API's message with a Retry
 * button on error (a clear "not available" state for 503s), an empty message, or the content.
 */
@Component({
  selector: 'sx-load-state',
  imports: [MatProgressBarModule, MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading" />
    }
    @if (error(); as e) {
      <div class="sx-state sx-state-error" role="alert" data-testid="error-state">
        <mat-icon aria-hidden="true">{{ e.unavailable ? 'cloud_off' : 'error_outline' }}</mat-icon>
        <div>
          <strong>{{ e.unavailable ? 'Service not available' : 'Something went wrong' }}</strong>
          <p>{{ e.message }}</p>
          @if (e.correlationId) {
            <small>Reference: {{ e.correlationId }}</small>
          }
        </div>
        <button mat-stroked-button type="button" (click)="retry.emit()">Retry</button>
      </div>
    } @else if (empty() && !loading()) {
      <div class="sx-state sx-state-empty" data-testid="empty-state">
        <mat-icon aria-hidden="true">{{ emptyIcon() }}</mat-icon>
        <p>{{ emptyText() }}</p>
        <ng-content select="[empty-action]" />
      </div>
    } @else {
      <ng-content />
    }
  `,
})
export class LoadStateComponent {
  readonly loading = input(false);
  readonly error = input<ApiError | null>(null);
  readonly empty = input(false);
  readonly emptyText = input('Nothing here yet.');
  readonly emptyIcon = input('inbox');
  readonly retry = output<void>();
}
