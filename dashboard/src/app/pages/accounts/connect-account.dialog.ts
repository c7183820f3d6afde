import { DOCUMENT, ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { toApiError } from '../../core/api/api-error';
import { Account, PluginManifest, PluginsApi } from '../../core/api/plugins.api';
import { SchemaFormComponent } from '../../shared/schema-form/schema-form.component';
import { buildForm, fieldsOf, formValue } from '../../shared/schema-form/schema-form';

/** Connect an account: a form generated from the plugin's credential schema, or an OAuth redirect. */
@Component({
  selector: 'sx-connect-account-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, SchemaFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `.sx-grid { display: grid; gap: 8px; min-width: min(420px, 86vw); } .sx-err { color: var(--mat-sys-error); }`,
  template: `
    <h2 mat-dialog-title>Connect {{ plugin.name }}</h2>
    <mat-dialog-content class="sx-grid">
      @if (oauth) {
        <p>You will be sent to {{ plugin.name }} to approve access, then brought back here.</p>
      }
      @if (fields.length || !oauth) {
        <sx-schema-form [fields]="fields" [form]="form" />
      }
      @if (error()) {
        <p class="sx-err" role="alert">{{ error() }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="connect()" [disabled]="busy() || !canSubmit()" data-testid="connect-submit">
        {{ oauth ? 'Continue to ' + plugin.name : 'Connect' }}
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
  protected readonly fields = fieldsOf(this.plugin.credentialsSchema);
  protected readonly form = buildForm(this.fields);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly formStatus = signal(this.form.status);
  protected readonly canSubmit = computed(() => this.formStatus() === 'VALID');

  constructor() {
    this.form.statusChanges.pipe(takeUntilDestroyed()).subscribe((s) => this.formStatus.set(s));
  }

  protected async connect(): Promise<void> {
    this.form.markAllAsTouched();
    if (!this.canSubmit()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const redirectUri = `${this.doc.location.origin}/accounts`;
      const res = await this.api.connect(this.plugin, formValue(this.fields, this.form.getRawValue()), redirectUri);
      if ('redirectUrl' in res) this.doc.location.assign(res.redirectUrl);
      else this.ref.close(res.account);
    } catch (err) {
      this.error.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}
