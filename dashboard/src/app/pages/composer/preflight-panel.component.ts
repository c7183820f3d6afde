import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, output, signal, untracked } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { toApiError } from '../../core/api/api-error';
import { PostsApi, PreflightRequest, PreflightResult } from '../../core/api/posts.api';

/** Asked this long after the last change, so typing does not send a request per key. */
const DEBOUNCE_MS = 600;

/**
 * The server's pre-flight answer per target account (POST /api/posts/validate: account connected and
 * authorised, plugin loaded, the platform's own rules on the content as it would be sent, daily caps),
 * shown before the post is scheduled. `result` tells the composer whether the server would accept it.
 */
@Component({
  selector: 'sx-preflight-panel',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host { display: block; }
    ul { list-style: none; margin: 4px 0; padding: 0; display: grid; gap: 4px; }
    li { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; align-items: start; }
    .ok { color: #1e7d36; } .bad { color: var(--mat-sys-error); }
    .sx-rules { grid-column: 2; margin: 0; padding-left: 16px; list-style: disc; color: var(--mat-sys-error); }
  `,
  template: `
    <h3>Server check</h3>
    @if (checking()) {
      <p class="sx-muted" aria-live="polite">Checking with the server…</p>
    } @else if (error(); as e) {
      <p class="sx-muted" role="status">The server check is not available: {{ e }}</p>
    } @else if (answer(); as a) {
      <ul aria-label="Server check per account" data-testid="preflight">
        @for (t of a.targets; track t.accountId) {
          <li [attr.data-testid]="'preflight-' + t.accountId" [attr.data-ok]="t.ok">
            <mat-icon [class]="t.ok ? 'ok' : 'bad'" aria-hidden="true">{{ t.ok ? 'check_circle' : 'error' }}</mat-icon>
            <span>{{ name()(t.accountId, t.platform) }}: {{ t.ok ? 'ready to publish' : 'would be refused' }}</span>
            @if (!t.ok) {
              <ul class="sx-rules">
                @for (v of t.violations; track $index) {
                  <li>{{ v.message }}</li>
                }
              </ul>
            }
          </li>
        }
      </ul>
    } @else {
      <p class="sx-muted">Choose an account to check the post against its platform.</p>
    }
  `,
})
export class PreflightPanelComponent {
  private readonly api = inject(PostsApi);
  /** What to check; null while the form is not complete enough to ask. */
  readonly request = input<PreflightRequest | null>(null);
  /** Display name for an account. */
  readonly name = input<(accountId: string, platform: string | null) => string>((id, platform) => platform ?? id);
  readonly result = output<PreflightResult | null>();
  protected readonly answer = signal<PreflightResult | null>(null);
  protected readonly checking = signal(false);
  protected readonly error = signal<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  constructor() {
    effect(() => {
      const req = this.request();
      untracked(() => this.schedule(req));
    });
    inject(DestroyRef).onDestroy(() => this.timer && clearTimeout(this.timer));
  }

  private schedule(req: PreflightRequest | null): void {
    if (this.timer) clearTimeout(this.timer);
    const gen = ++this.generation;
    if (!req) {
      this.answer.set(null);
      this.result.emit(null);
      return;
    }
    this.timer = setTimeout(() => void this.check(req, gen), DEBOUNCE_MS);
  }

  private async check(req: PreflightRequest, gen: number): Promise<void> {
    this.checking.set(true);
    try {
      const res = await this.api.validate(req);
      if (gen !== this.generation) return;
      this.error.set(null);
      this.answer.set(res);
      this.result.emit(res);
    } catch (err) {
      if (gen !== this.generation) return;
      this.error.set(toApiError(err).message);
      this.answer.set(null);
      this.result.emit(null);
    } finally {
      if (gen === this.generation) this.checking.set(false);
    }
  }
}
