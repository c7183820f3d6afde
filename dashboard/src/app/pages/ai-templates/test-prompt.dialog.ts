import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AiTemplatesApi, PromptTestResult } from '../../core/api/ai-templates.api';
import { toApiError } from '../../core/api/api-error';

export interface TestPromptData {
  templateId?: string;
  promptText: string;
}

/** Seed 001's test modal: sample filename + game context → title, caption, hashtags. */
@Component({
  selector: 'sx-test-prompt-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `.sx-grid { display: grid; gap: 8px; } .sx-out { white-space: pre-wrap; } dt { font-weight: 500; margin-top: 8px; } dd { margin: 0; }`,
  template: `
    <h2 mat-dialog-title>Test prompt</h2>
    @if (busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Generating" />
    }
    <mat-dialog-content class="sx-grid">
      <mat-form-field>
        <mat-label>Sample filename</mat-label>
        <input matInput [ngModel]="filename()" (ngModelChange)="filename.set($event)" data-testid="test-filename" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Game context</mat-label>
        <input matInput [ngModel]="context()" (ngModelChange)="context.set($event)" />
      </mat-form-field>
      @if (error()) {
        <p class="sx-state sx-state-error" role="alert">{{ error() }}</p>
      }
      @if (result(); as r) {
        <dl aria-live="polite" data-testid="test-result">
          <dt>Title</dt><dd>{{ r.title }}</dd>
          <dt>Caption</dt><dd class="sx-out">{{ r.caption }}</dd>
          <dt>Hashtags</dt><dd>{{ r.hashtags.join(' ') }}</dd>
        </dl>
        @if (r.provider) {
          <small class="sx-muted">{{ r.provider }} · {{ r.elapsedMs }} ms</small>
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
      <button mat-flat-button type="button" (click)="generate()" [disabled]="busy() || !filename().trim()" data-testid="test-generate">Generate</button>
    </mat-dialog-actions>
  `,
})
export class TestPromptDialog {
  private readonly api = inject(AiTemplatesApi);
  private readonly data = inject<TestPromptData>(MAT_DIALOG_DATA);
  protected readonly filename = signal('epic_clutch_win.mp4');
  protected readonly context = signal('gaming');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<PromptTestResult | null>(null);

  protected async generate(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      this.result.set(
        await this.api.test({
          templateId: this.data.templateId,
          promptText: this.data.templateId ? undefined : this.data.promptText,
          filename: this.filename().trim(),
          gameContext: this.context().trim() || 'gaming',
        }),
      );
    } catch (err) {
      this.error.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}
