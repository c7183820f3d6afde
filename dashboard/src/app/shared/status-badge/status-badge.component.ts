import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { PostStatus } from '../../core/api/posts.api';

type Tone = 'pending' | 'active' | 'ok' | 'bad' | 'unknown' | 'muted';

const LOOK: Record<PostStatus, { label: string; tone: Tone; icon: string }> = {
  draft: { label: 'Draft', tone: 'muted', icon: 'edit_note' },
  pending: { label: 'Pending', tone: 'pending', icon: 'schedule' },
  armed: { label: 'Pending', tone: 'pending', icon: 'schedule' },
  dispatched: { label: 'Publishing', tone: 'active', icon: '' },
  publishing: { label: 'Publishing', tone: 'active', icon: '' },
  published: { label: 'Published', tone: 'ok', icon: 'check_circle' },
  retry_wait: { label: 'Retrying', tone: 'pending', icon: 'replay' },
  failed: { label: 'Failed', tone: 'bad', icon: 'error' },
  cancelled: { label: 'Cancelled', tone: 'muted', icon: 'block' },
  unknown: { label: 'Unknown', tone: 'unknown', icon: 'help' },
  paused: { label: 'Paused', tone: 'muted', icon: 'pause_circle' },
};

/** Colour-coded job status: pending yellow, publishing spinner, published green, failed red, unknown orange. */
@Component({
  selector: 'sx-status-badge',
  imports: [MatIconModule, MatProgressSpinnerModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span
      class="sx-badge sx-badge-{{ look().tone }}"
      role="status"
      [attr.data-state]="state()"
      [attr.data-testid]="'badge'"
      [matTooltip]="reason() ?? ''"
      [matTooltipDisabled]="!reason()"
    >
      @if (look().tone === 'active') {
        <mat-spinner diameter="14" aria-hidden="true" />
      } @else {
        <mat-icon aria-hidden="true" inline>{{ look().icon }}</mat-icon>
      }
      {{ look().label }}
    </span>
  `,
})
export class StatusBadgeComponent {
  readonly state = input.required<PostStatus>();
  readonly reason = input<string | null | undefined>(null);
  protected readonly look = computed(() => LOOK[this.state()] ?? LOOK.unknown);
}

export const statusLabel = (s: PostStatus): string => (LOOK[s] ?? LOOK.unknown).label;
