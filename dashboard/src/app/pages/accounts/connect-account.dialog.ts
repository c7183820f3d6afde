import { DOCUMENT, ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { merge } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { Account, PluginManifest, PluginsApi } from '../../core/api/plugins.api';
import { SchemaFormComponent } from '../../shared/schema-form/schema-form.component';
import { buildForm, formValue } from '../../shared/schema-form/schema-form';
import { connectFormOf, connectIntro, problemsOf } from './connect-form';

/**
 * Connect an account, generated from the plugin's manifest: its settings (a Mastodon instance, X's
 * client id) plus what the auth kind needs typed in (app password, bot token, webhook URL). OAuth
 * kinds then go to the platform's consent page and come back to /accounts with code and state.
 */
@Component({
  selector: 'sx-connect-account-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, SchemaFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .sx-grid { display: grid; gap: 8px; min-width: min(440px, 80vw); }
    .sx-err { color: var(--mat-sys-error); margin: 0; }
    .sx-err ul { margin: 4px 0 0; padding-left: 18px; }
    code { word-break: break-all; }
  `,
  template: `
    <h2 mat-dialog-title>Connect {{ plugin.name }}</h2>
    <mat-dialog-content class="sx-grid">
      <p>{{ intro }}</p>
      @if (form.settings.length) {
        <sx-schema-form [fields]="form.settings" [form]="settingsForm" />
      }
      @if (form.credentials.length) {
        <sx-schema-form [fields]="form.credentials" [form]="credentialsForm" />
      }
      @if (oauth) {
        <p class="sx-muted">
          If {{ plugin.name }} asks you to register an app, give it this callback URL: <code data-testid="callback-url">{{ redirectUri }}</code>
        </p>
      }
      @if (error(); as e) {
        <div class="sx-err" role="alert" data-testid="connect-error">
          {{ e.message }}
          @if (e.problems.length) {
            <ul>
              @for (p of e.problems; track $index) {
                <li>{{ p }}</li>
              }
            </ul>
          }
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="connect()" [disabled]="busy() || !canSubmit()" data-testid="connect-submit">
        {{ busy() ? 'Connecting…' : oauth ? 'Continue to ' + plugin.name : 'Connect' }}
      </button>
    </mat-dialog-actions>
  `,
})
export class ConnectAccountDialog {
  private readonly api = inject(PluginsApi);
  private readonly ref = inject<MatDialogRef<ConnectAccountDialog, Account>>(MatDialogRef);
  private readonly doc = inject(DOCUMENT);
  protected readonly plugin = inject<PluginManifest>(MAT_DIALOG_DATA);
  protected readonly oauth = this.plugin.auth.kind === 'oauth2_pkce';
  protected readonly intro = connectIntro(this.plugin.auth.kind, this.plugin.name);
  protected readonly form = connectFormOf(this.plugin);
  protected readonly settingsForm = buildForm(this.form.settings);
  protected readonly credentialsForm = buildForm(this.form.credentials);
  protected readonly redirectUri = `${this.doc.location.origin}/accounts`;
  protected readonly busy = signal(false);
  protected readonly error = signal<{ message: string; problems: string[] } | null>(null);
  private readonly validity = signal(this.valid());
  protected readonly canSubmit = computed(() => this.validity());

  constructor() {
    merge(this.settingsForm.statusChanges, this.credentialsForm.statusChanges)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.validity.set(this.valid()));
  }

  private valid(): boolean {
    return this.settingsForm.valid && this.credentialsForm.valid;
  }

  protected async connect(): Promise<void> {
    this.settingsForm.markAllAsTouched();
    this.credentialsForm.markAllAsTouched();
    if (!this.valid()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const credentials = formValue(this.form.credentials, this.credentialsForm.getRawValue());
      const settings = formValue(this.form.settings, this.settingsForm.getRawValue());
      const res = await this.api.connect(this.plugin, credentials, this.redirectUri, settings);
      if ('redirectUrl' in res) this.doc.location.assign(res.redirectUrl);
      else this.ref.close(res.account);
    } catch (err) {
      const e = toApiError(err);
      // The server's message as written, plus the list of what it found wrong.
      this.error.set({ message: e.message, problems: problemsOf(e.details) });
    } finally {
      this.busy.set(false);
    }
  }
}
