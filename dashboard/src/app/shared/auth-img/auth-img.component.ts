import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { Subscription } from 'rxjs';

/**
 * An <img> for protected media: the bytes are fetched with the bearer token (never put in
 * the URL) and shown through an object URL, revoked when the source changes or on destroy.
 */
@Component({
  selector: 'sx-auth-img',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `:host { display: block; width: 100%; height: 100%; } img { width: 100%; height: 100%; object-fit: var(--sx-fit, cover); display: block; }
    .sx-ph { display: grid; place-items: center; height: 100%; color: var(--mat-sys-on-surface-variant); }`,
  template: `
    @if (url(); as u) {
      <img [src]="u" [alt]="alt()" />
    } @else {
      <div class="sx-ph" role="img" [attr.aria-label]="alt() || 'No preview'">
        <mat-icon aria-hidden="true">{{ failed() ? 'broken_image' : 'image' }}</mat-icon>
      </div>
    }
  `,
})
export class AuthImgComponent {
  private readonly http = inject(HttpClient);
  readonly src = input.required<string>();
  readonly alt = input('');
  protected readonly url = signal<string | null>(null);
  protected readonly failed = signal(false);
  private sub: Subscription | null = null;
  private current: string | null = null;

  constructor() {
    // Only `src` is a dependency: fetch() reads and writes `url`, and tracking it made every load
    // trigger the next one (thousands of requests per tile).
    effect(() => {
      const src = this.src();
      untracked(() => this.fetch(src));
    });
    inject(DestroyRef).onDestroy(() => this.reset());
  }

  private fetch(src: string): void {
    if (src === this.current) return;
    this.reset();
    this.current = src;
    this.sub = this.http.get(src, { responseType: 'blob' }).subscribe({
      next: (blob) => this.url.set(URL.createObjectURL(blob)),
      error: () => this.failed.set(true),
    });
  }

  private reset(): void {
    this.sub?.unsubscribe();
    const u = this.url();
    if (u) URL.revokeObjectURL(u);
    this.url.set(null);
    this.failed.set(false);
    this.current = null;
  }
}
