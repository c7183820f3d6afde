import { ChangeDetectionStrategy, Component, OnInit, computed, inject, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../core/api/api-client';

interface Progress {
  accounts: number;
  media: number;
  posts: number;
}

/**
 * First-run guide on Home: connect an account, upload media, schedule a first post — each ticked off
 * from what the workspace holds. It disappears once all three are done.
 */
@Component({
  selector: 'sx-getting-started',
  imports: [MatCardModule, MatButtonModule, MatIconModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host { display: block; margin-bottom: 16px; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
    li { display: flex; gap: 12px; align-items: flex-start; }
    li > div { flex: 1; min-width: 0; }
    li strong { display: block; }
    .sx-done { color: var(--sx-ok-text, #137333); }
    .sx-step { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 50%; flex: none;
      border: 2px solid var(--mat-sys-outline); font-weight: 600; }
    mat-card { padding: 16px; }
    h2 { font: var(--mat-sys-title-large); margin: 0 0 4px; }
    p { margin: 0 0 12px; }
  `,
  template: `
    @if (progress(); as p) {
      @if (!allDone()) {
        <mat-card appearance="outlined" data-testid="getting-started">
          <h2>Get started</h2>
          <p class="sx-muted">Three steps to your first scheduled post.</p>
          <ol>
            <li>
              @if (p.accounts > 0) { <mat-icon class="sx-done" aria-hidden="true">check_circle</mat-icon> } @else { <span class="sx-step" aria-hidden="true">1</span> }
              <div>
                <strong>Connect an account</strong>
                <span class="sx-muted">{{ p.accounts > 0 ? p.accounts + ' connected' : 'Mastodon, Bluesky, X or a webhook: where your posts go.' }}</span>
              </div>
              @if (!p.accounts) { <a mat-stroked-button routerLink="/accounts">Connect</a> }
            </li>
            <li>
              @if (p.media > 0) { <mat-icon class="sx-done" aria-hidden="true">check_circle</mat-icon> } @else { <span class="sx-step" aria-hidden="true">2</span> }
              <div>
                <strong>Upload media</strong>
                <span class="sx-muted">{{ p.media > 0 ? 'Files are in your library.' : 'Images and videos to post (optional for text posts).' }}</span>
              </div>
              @if (!p.media) { <a mat-stroked-button routerLink="/media">Upload</a> }
            </li>
            <li>
              @if (p.posts > 0) { <mat-icon class="sx-done" aria-hidden="true">check_circle</mat-icon> } @else { <span class="sx-step" aria-hidden="true">3</span> }
              <div>
                <strong>Schedule your first post</strong>
                <span class="sx-muted">Write it once, pick a time in your time zone, and it goes out on every account you choose.</span>
              </div>
              @if (!p.posts) { <button mat-flat-button type="button" (click)="newPost.emit()" [disabled]="!p.accounts">New post</button> }
            </li>
          </ol>
        </mat-card>
      }
    }
  `,
})
export class GettingStartedComponent implements OnInit {
  private readonly api = inject(ApiClient);
  readonly newPost = output<void>();
  protected readonly progress = signal<Progress | null>(null);
  protected readonly allDone = computed(() => {
    const p = this.progress();
    return !!p && p.accounts > 0 && p.media > 0 && p.posts > 0;
  });

  async ngOnInit(): Promise<void> {
    const count = (path: string) =>
      this.api.get<{ items: unknown[] }>(path, { limit: 1 }).then((r) => r.items.length, () => 0);
    const [accounts, media, posts] = await Promise.all([
      this.api.get<{ items: { status: string }[] }>('/api/accounts').then((r) => r.items.filter((a) => a.status === 'active').length, () => 0),
      count('/api/files'),
      count('/api/posts'),
    ]);
    this.progress.set({ accounts, media, posts });
  }
}
