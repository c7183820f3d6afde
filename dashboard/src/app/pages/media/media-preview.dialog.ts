import { ChangeDetectionStrategy, Component, OnDestroy, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { HttpClient } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { MediaAsset, mediaUrl } from '../../core/api/media.api';
import { AuthImgComponent } from '../../shared/auth-img/auth-img.component';

const MAX_INLINE_VIDEO = 300 * 1024 * 1024;

/** Image viewer or video player (range requests via a short-lived playback URL), metadata and status. */
@Component({
  selector: 'sx-media-preview',
  imports: [MatDialogModule, MatButtonModule, MatIconModule, AuthImgComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .sx-view { max-height: 60vh; display: grid; place-items: center; --sx-fit: contain; height: 50vh; }
    video { max-width: 100%; max-height: 60vh; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; overflow-wrap: anywhere; }
  `,
  template: `
    <h2 mat-dialog-title>{{ asset.filename }}</h2>
    <mat-dialog-content>
      @if (asset.status === 'rejected') {
        <p class="sx-state sx-state-error" role="alert">Rejected: {{ asset.statusDetail || 'no reason given' }}</p>
      }
      <div class="sx-view">
        @if (asset.kind === 'video') {
          @if (playback(); as src) {
            <video [src]="src" controls preload="metadata" [attr.aria-label]="asset.filename"></video>
          } @else {
            <p class="sx-muted">{{ playbackError() ?? 'Loading video…' }}</p>
          }
        } @else if (asset.kind === 'image') {
          <sx-auth-img [src]="original" [alt]="asset.filename" />
        } @else {
          <mat-icon aria-hidden="true">description</mat-icon>
        }
      </div>
      <dl>
        <dt>Status</dt><dd>{{ asset.status }}</dd>
        <dt>Type</dt><dd>{{ asset.mime }}</dd>
        <dt>Size</dt><dd>{{ (asset.bytes / 1048576).toFixed(2) }} MB</dd>
        <dt>Uploaded</dt><dd>{{ asset.createdAt }}</dd>
        @if (asset.sha256) {
          <dt>SHA-256</dt><dd class="sx-mono">{{ asset.sha256 }}</dd>
        }
        @for (m of meta; track m[0]) {
          <dt>{{ m[0] }}</dt><dd>{{ m[1] }}</dd>
        }
      </dl>
    </mat-dialog-content>
    <mat-dialog-actions align="end"><button mat-button type="button" mat-dialog-close>Close</button></mat-dialog-actions>
  `,
})
export class MediaPreviewDialog implements OnInit, OnDestroy {
  private readonly http = inject(HttpClient);
  protected readonly asset = inject<MediaAsset>(MAT_DIALOG_DATA);
  protected readonly original = this.asset.urls?.content ?? mediaUrl(this.asset.id);
  protected readonly playback = signal<string | null>(null);
  protected readonly playbackError = signal<string | null>(null);
  protected readonly meta = Object.entries(this.asset.metadata ?? {})
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => [k, String(v)] as const);

  /**
   * A <video> cannot send a bearer header: fetch the bytes with it (the /media route serves ranges
   * and ETags) and play from an object URL, revoked when the dialog closes.
   */
  async ngOnInit(): Promise<void> {
    if (this.asset.kind !== 'video') return;
    if (this.asset.bytes > MAX_INLINE_VIDEO) {
      this.playbackError.set('This video is too large to preview in the browser; download it instead.');
      return;
    }
    try {
      const blob = await firstValueFrom(this.http.get(this.original, { responseType: 'blob' }));
      this.playback.set(URL.createObjectURL(blob));
    } catch (err) {
      this.playbackError.set(toApiError(err).message);
    }
  }

  ngOnDestroy(): void {
    const url = this.playback();
    if (url) URL.revokeObjectURL(url);
  }
}
