import { DestroyRef, ChangeDetectionStrategy, Component, OnInit, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import { filter } from 'rxjs';
import { PostDetail, PostsApi } from '../../core/api/posts.api';
import { AuthStore } from '../../core/auth/auth.store';
import { coalesce } from '../../core/events/coalesce';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { PreferencesService } from '../../core/util/preferences.service';
import { formatInZone } from '../../core/util/time';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { StatusBadgeComponent } from '../../shared/status-badge/status-badge.component';
import { AuthImgComponent } from '../../shared/auth-img/auth-img.component';
import { thumbnailUrl } from '../../core/api/media.api';
import { PostCardComponent } from '../schedule/post-card.component';
import { PostAction, PostActions } from '../schedule/post-actions.service';
import { PostsStore } from '../schedule/posts.store';

/** `/posts/:id`: one post with every account's jobs, its history and the same actions as its card. */
@Component({
  selector: 'sx-post-detail-page',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatIconModule, LoadStateComponent, StatusBadgeComponent, AuthImgComponent, PostCardComponent],
  providers: [PostsStore, PostActions],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './post-detail.page.html',
  styles: `
    .sx-detail { display: grid; gap: 16px; margin-top: 16px; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
    @media (max-width: 1000px) { .sx-detail { grid-template-columns: minmax(0, 1fr); } }
    mat-card { padding: 16px; }
    .sx-text { white-space: pre-wrap; overflow-wrap: anywhere; }
    .sx-media { display: flex; gap: 8px; flex-wrap: wrap; }
    .sx-media a { width: 120px; height: 90px; border-radius: 8px; overflow: hidden; display: block; background: var(--mat-sys-surface-container-high); }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); vertical-align: top; }
    th { font: var(--mat-sys-label-large); }
    .sx-table-scroll { overflow-x: auto; }
  `,
})
export class PostDetailPage implements OnInit {
  /** Route parameter (component input binding). */
  readonly id = input.required<string>();
  private readonly api = inject(PostsApi);
  private readonly actions = inject(PostActions);
  protected readonly auth = inject(AuthStore);
  private readonly prefs = inject(PreferencesService);
  private readonly events = inject(EventStream);
  private readonly destroyRef = inject(DestroyRef);
  private readonly router = inject(Router);

  protected readonly detail = new Loadable<PostDetail>(() => this.api.detail(this.id()));
  protected readonly post = computed(() => this.detail.value()?.post);
  protected readonly heading = computed(() => {
    const p = this.post();
    return p ? p.title || p.text.slice(0, 80) || 'Untitled post' : 'Post';
  });
  protected readonly jobs = computed(() => [...(this.detail.value()?.jobs ?? [])].sort((a, b) => b.dueAt.localeCompare(a.dueAt)));
  protected readonly history = computed(() => this.detail.value()?.history ?? []);
  protected readonly overrides = computed(() =>
    Object.entries(this.post()?.overrides ?? {}).filter(([, o]) => typeof o['text'] === 'string' && o['text']).map(([k, o]) => [k, String(o['text'])] as const),
  );
  protected readonly thumb = thumbnailUrl;

  ngOnInit(): void {
    void this.detail.load();
    const mine = this.events.on('post.').pipe(filter((e) => e.subject === 'resync' || e.data['postId'] === this.id()));
    const sub = coalesce(mine, () => void this.detail.load());
    this.destroyRef.onDestroy(() => sub.unsubscribe());
  }

  protected when(iso: string, zone?: string): string {
    return formatInZone(iso, zone ?? this.prefs.prefs().zone);
  }

  protected async run(action: PostAction): Promise<void> {
    const p = this.post();
    if (!p) return;
    await this.actions.run(action, p);
    if (action === 'open') return;
    await this.detail.load();
    // A deleted post is gone from here (its detail answers 404): back to the list it was in.
    if (action === 'delete' && this.detail.error()?.status === 404) await this.router.navigate(['/schedule']);
  }
}
