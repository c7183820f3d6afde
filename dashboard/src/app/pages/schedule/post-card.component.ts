import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { ScheduledPost } from '../../core/api/posts.api';
import { thumbnailUrl } from '../../core/api/media.api';
import { formatInZone } from '../../core/util/time';
import { CountdownComponent } from '../../shared/countdown/countdown.component';
import { StatusBadgeComponent } from '../../shared/status-badge/status-badge.component';
import { AuthImgComponent } from '../../shared/auth-img/auth-img.component';
import { PostAction } from './post-actions.service';
import { canEditPost, canPostAgain } from '../composer/post-editor';
import { isActive, postStatus } from './post-events';

/** Seed 001's ScheduledPostCard: thumbnail, title, platforms, live countdown, status and actions. */
@Component({
  selector: 'sx-post-card',
  imports: [RouterLink, MatCardModule, MatButtonModule, MatIconModule, CountdownComponent, StatusBadgeComponent, AuthImgComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './post-card.component.scss',
  templateUrl: './post-card.component.html',
})
export class PostCardComponent {
  readonly post = input.required<ScheduledPost>();
  readonly canEdit = input(true);
  readonly action = output<PostAction>();

  protected readonly status = computed(() => postStatus(this.post()));
  protected readonly active = computed(() => isActive(this.status()));
  protected readonly editable = computed(() => canEditPost(this.post()));
  protected readonly again = computed(() => canPostAgain(this.post()));
  protected readonly when = computed(() => formatInZone(this.post().dueAt, this.post().zone));
  protected readonly thumb = computed(() => {
    const id = this.post().mediaIds[0];
    return id ? thumbnailUrl(id) : null;
  });
  protected readonly heading = computed(() => this.post().title || this.post().text.slice(0, 80) || 'Untitled post');
}
