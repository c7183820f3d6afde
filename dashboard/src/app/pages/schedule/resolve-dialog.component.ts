import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';

export interface ResolveData {
  platform: string;
  reason: string | null;
}
export interface ResolveResult {
  outcome: 'published' | 'failed';
  url: string;
  platformPostId: string;
}

/**
 * An `unknown` job is never retried blindly: a person checks the platform and records
 * whether the post went out (with its URL) or not.
 */
@Component({
  selector: 'sx-resolve-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatRadioModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Check and resolve</h2>
    <mat-dialog-content>
      <p>
        We could not tell whether the post reached <strong>{{ data.platform }}</strong>.
        @if (data.reason) {
          <br /><span class="sx-muted">{{ data.reason }}</span>
        }
      </p>
      <p>Open the account on {{ data.platform }} and tell us what you see:</p>
      <mat-radio-group [ngModel]="outcome()" (ngModelChange)="outcome.set($event)" aria-label="Outcome">
        <mat-radio-button value="published">It was published</mat-radio-button>
        <mat-radio-button value="failed">It is not there</mat-radio-button>
      </mat-radio-group>
      @if (outcome() === 'published') {
        <mat-form-field class="sx-full">
          <mat-label>Post URL</mat-label>
          <input matInput type="url" [ngModel]="url()" (ngModelChange)="url.set($event)" required />
        </mat-form-field>
        <mat-form-field class="sx-full">
          <mat-label>Platform post id</mat-label>
          <input matInput [ngModel]="postId()" (ngModelChange)="postId.set($event)" />
          <mat-hint>Leave empty to use the last part of the URL</mat-hint>
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Later</button>
      <button mat-flat-button type="button" [disabled]="!valid()" (click)="save()">Record</button>
    </mat-dialog-actions>
  `,
})
export class ResolveDialogComponent {
  protected readonly data = inject<ResolveData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ResolveDialogComponent, ResolveResult>>(MatDialogRef);
  protected readonly outcome = signal<'published' | 'failed' | null>(null);
  protected readonly url = signal('');
  protected readonly postId = signal('');

  protected valid(): boolean {
    if (this.outcome() === 'failed') return true;
    return this.outcome() === 'published' && /^https?:\/\/\S+$/.test(this.url());
  }

  protected save(): void {
    const outcome = this.outcome();
    if (!outcome || !this.valid()) return;
    const fromUrl = this.url().replace(/\/+$/, '').split('/').pop() ?? '';
    this.ref.close({ outcome, url: this.url(), platformPostId: this.postId().trim() || fromUrl });
  }
}
