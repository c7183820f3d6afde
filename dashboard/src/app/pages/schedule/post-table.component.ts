import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTableModule } from '@angular/material/table';
import { ScheduledPost } from '../../core/api/posts.api';
import { formatInZone } from '../../core/util/time';
import { CountdownComponent } from '../../shared/countdown/countdown.component';
import { StatusBadgeComponent } from '../../shared/status-badge/status-badge.component';
import { PostAction } from './post-actions.service';
import { canEditPost, canPostAgain } from '../composer/post-editor';
import { isActive, postStatus } from './post-events';

export interface PostRowAction {
  action: PostAction;
  post: ScheduledPost;
}

/** Table view of the schedule with the same live countdown and actions as the cards. */
@Component({
  selector: 'sx-post-table',
  imports: [MatTableModule, MatButtonModule, MatIconModule, MatMenuModule, CountdownComponent, StatusBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="sx-table-scroll">
      <table mat-table [dataSource]="posts()" aria-label="Scheduled posts">
        <ng-container matColumnDef="title">
          <th mat-header-cell *matHeaderCellDef>Post</th>
          <td mat-cell *matCellDef="let p">{{ p.title || p.text.slice(0, 60) || 'Untitled' }}</td>
        </ng-container>
        <ng-container matColumnDef="platforms">
          <th mat-header-cell *matHeaderCellDef>Accounts</th>
          <td mat-cell *matCellDef="let p">
            <span class="sx-chips">
              @for (t of p.targets; track t.jobId) {
                <span class="sx-chip">{{ t.platform }}</span>
              }
            </span>
          </td>
        </ng-container>
        <ng-container matColumnDef="when">
          <th mat-header-cell *matHeaderCellDef>Scheduled</th>
          <td mat-cell *matCellDef="let p">{{ when(p) }}</td>
        </ng-container>
        <ng-container matColumnDef="countdown">
          <th mat-header-cell *matHeaderCellDef>Countdown</th>
          <td mat-cell *matCellDef="let p">
            @if (active(p)) {
              <sx-countdown [at]="p.dueAt" />
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Status</th>
          <td mat-cell *matCellDef="let p"><sx-status-badge [state]="status(p)" /></td>
        </ng-container>
        <ng-container matColumnDef="actions">
          <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
          <td mat-cell *matCellDef="let p">
            @if (canEdit()) {
              <button mat-icon-button type="button" [matMenuTriggerFor]="menu" [attr.aria-label]="'Actions for ' + (p.title || 'post')">
                <mat-icon>more_vert</mat-icon>
              </button>
              <mat-menu #menu="matMenu">
                @for (a of actionsFor(p); track a.action) {
                  <button mat-menu-item type="button" (click)="action.emit({ action: a.action, post: p })">
                    <mat-icon>{{ a.icon }}</mat-icon> {{ a.label }}
                  </button>
                }
              </mat-menu>
            }
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns" [attr.data-testid]="'row-' + row.id"></tr>
      </table>
    </div>
  `,
})
export class PostTableComponent {
  readonly posts = input.required<ScheduledPost[]>();
  readonly canEdit = input(true);
  readonly action = output<PostRowAction>();
  protected readonly columns = ['title', 'platforms', 'when', 'countdown', 'status', 'actions'];

  protected status = postStatus;
  protected active = (p: ScheduledPost) => isActive(postStatus(p));
  protected when = (p: ScheduledPost) => formatInZone(p.dueAt, p.zone);

  protected actionsFor(p: ScheduledPost): { action: PostAction; label: string; icon: string }[] {
    if (p.deletedAt) return [{ action: 'restore', label: 'Restore', icon: 'restore' }];
    const s = postStatus(p);
    const out: { action: PostAction; label: string; icon: string }[] = [];
    if (isActive(s)) {
      out.push({ action: 'postNow', label: 'Post now', icon: 'send' });
      out.push({ action: 'reschedule', label: 'Reschedule', icon: 'update' });
      out.push({ action: 'cancel', label: 'Cancel', icon: 'block' });
    }
    if (canEditPost(p)) out.push({ action: 'edit', label: 'Edit', icon: 'edit' });
    if (canPostAgain(p)) out.push({ action: 'again', label: 'Post again', icon: 'repeat_one' });
    out.push({ action: 'open', label: 'Details', icon: 'info' });
    if (s === 'failed') out.push({ action: 'retry', label: 'Retry', icon: 'replay' });
    if (s === 'unknown') out.push({ action: 'resolve', label: 'Check and resolve', icon: 'fact_check' });
    if (s !== 'publishing') out.push({ action: 'delete', label: 'Delete', icon: 'delete' });
    return out;
  }
}
