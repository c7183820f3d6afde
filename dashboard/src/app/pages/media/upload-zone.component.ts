import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { UploadItem, UploadService } from '../../core/api/upload.service';

/** Drop zone (and file picker, for keyboard users) with one progress bar per file, pause and resume. */
@Component({
  selector: 'sx-upload-zone',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .sx-drop { border: 2px dashed var(--mat-sys-outline); border-radius: 12px; padding: 20px; text-align: center; }
    .sx-drop.sx-over { border-color: var(--mat-sys-primary); background: var(--mat-sys-primary-container); }
    ul { list-style: none; padding: 0; margin: 8px 0 0; }
    li { display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; align-items: center; margin: 6px 0; }
    li mat-progress-bar { grid-column: 1 / -1; }
    .sx-err { color: var(--mat-sys-error); grid-column: 1 / -1; }
    li[data-status='rejected'] mat-progress-bar, li[data-status='error'] mat-progress-bar {
      --mat-progress-bar-active-indicator-color: var(--mat-sys-error); }
  `,
  template: `
    <div
      class="sx-drop"
      [class.sx-over]="over()"
      (dragover)="onDragOver($event)"
      (dragleave)="over.set(false)"
      (drop)="onDrop($event)"
      data-testid="drop-zone"
    >
      <mat-icon aria-hidden="true">cloud_upload</mat-icon>
      <p>Drop images or videos here, or</p>
      <button mat-stroked-button type="button" (click)="picker.click()">Choose files</button>
      <input #picker type="file" multiple hidden (change)="onPick(picker)" data-testid="file-input" aria-label="Choose files to upload" />
    </div>
    @if (uploads.items().length) {
      <ul aria-label="Uploads">
        @for (u of uploads.items(); track u) {
          <li [attr.data-testid]="'upload-' + u.file.name" [attr.data-status]="u.status()">
            <span>{{ u.file.name }} · {{ label(u) }}</span>
            <span>
              @if (u.status() === 'uploading') {
                <button mat-icon-button type="button" (click)="uploads.pause(u)" [attr.aria-label]="'Pause ' + u.file.name"><mat-icon>pause</mat-icon></button>
              }
              @if (u.status() === 'paused' || u.status() === 'error') {
                <button mat-icon-button type="button" (click)="uploads.resume(u)" [attr.aria-label]="'Resume ' + u.file.name"><mat-icon>play_arrow</mat-icon></button>
              }
              @if (u.status() === 'rejected') {
                <button mat-icon-button type="button" (click)="uploads.dismiss(u)" [attr.aria-label]="'Dismiss ' + u.file.name"><mat-icon>close</mat-icon></button>
              }
            </span>
            @if (u.status() !== 'rejected') {
              <mat-progress-bar mode="determinate" [value]="pct(u)" [attr.aria-label]="'Upload progress for ' + u.file.name" />
            }
            @if (u.error()) {
              <span class="sx-err" role="alert">{{ u.error() }}</span>
            }
          </li>
        }
      </ul>
      <button mat-button type="button" (click)="uploads.clearFinished()">Clear finished</button>
    }
  `,
})
export class UploadZoneComponent {
  protected readonly uploads = inject(UploadService);
  protected readonly over = signal(false);
  readonly added = output<UploadItem[]>();

  protected label(u: UploadItem): string {
    switch (u.status()) {
      case 'rejected': return 'rejected';
      case 'error': return `interrupted at ${this.pct(u)}%`;
      case 'done': return 'uploaded';
      default: return `${this.pct(u)}% · ${u.status()}`;
    }
  }

  protected pct(u: UploadItem): number {
    return Math.round(u.progress() * 100);
  }

  protected onDragOver(e: DragEvent): void {
    e.preventDefault();
    this.over.set(true);
  }

  protected onDrop(e: DragEvent): void {
    e.preventDefault();
    this.over.set(false);
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length) this.added.emit(this.uploads.add(files));
  }

  protected onPick(input: HTMLInputElement): void {
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length) this.added.emit(this.uploads.add(files));
  }
}
