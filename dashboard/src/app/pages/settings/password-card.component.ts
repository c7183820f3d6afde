import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { toApiError } from '../../core/api/api-error';
import { TeamApi } from '../../core/api/team.api';
import { AuthStore } from '../../core/auth/auth.store';
import { Notify } from '../../core/util/notify.service';

/** Change one's own password; every session ends, so the person signs in again with the new one. */
@Component({
  selector: 'sx-password-card',
  imports: [FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `.sx-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; } .sx-err { color: var(--mat-sys-error); }`,
  template: `
    <mat-card appearance="outlined">
      <mat-card-title>Password</mat-card-title>
      <div class="sx-row">
        <mat-form-field><mat-label>Current password</mat-label><input matInput type="password" autocomplete="current-password" [(ngModel)]="current" /></mat-form-field>
        <mat-form-field><mat-label>New password (12+ characters)</mat-label><input matInput type="password" autocomplete="new-password" [(ngModel)]="next" /></mat-form-field>
        <mat-form-field><mat-label>New password again</mat-label><input matInput type="password" autocomplete="new-password" [(ngModel)]="again" /></mat-form-field>
        <button mat-flat-button type="button" (click)="change()" [disabled]="busy() || !current || next.length < 12 || next !== again">Change password</button>
      </div>
      @if (next && again && next !== again) { <p class="sx-err">The new passwords differ.</p> }
      @if (error()) { <p class="sx-err" role="alert">{{ error() }}</p> }
      <p class="sx-muted">You will be signed out everywhere and sign in again with the new password.</p>
    </mat-card>
  `,
})
export class PasswordCardComponent {
  private readonly api = inject(TeamApi);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly notify = inject(Notify);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected current = '';
  protected next = '';
  protected again = '';

  protected async change(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.changePassword(this.current, this.next);
      this.notify.ok('Password changed. Sign in with the new one.');
      this.auth.clear(); // the server already ended every session of ours
      await this.router.navigate(['/login']);
    } catch (err) {
      this.error.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }
}
