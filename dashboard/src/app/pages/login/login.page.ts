import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { AuthApi } from '../../core/api/auth.api';
import { toApiError } from '../../core/api/api-error';
import { AuthStore } from '../../core/auth/auth.store';

/** Sign-in, or first-run admin creation when no user exists yet. */
@Component({
  selector: 'sx-login-page',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host { display: grid; place-items: center; min-height: 100vh; padding: 16px; box-sizing: border-box; }
    mat-card { width: min(420px, 100%); }
    form { display: grid; gap: 12px; margin-top: 8px; }
    .sx-err { color: var(--mat-sys-error); margin: 0; }
  `,
  template: `
    <mat-card appearance="outlined">
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Working" />
      }
      <mat-card-header>
        <mat-card-title>{{ mode() === 'setup' ? 'Create the admin account' : 'Sign in to SchedulerX' }}</mat-card-title>
        @if (mode() === 'setup') {
          <mat-card-subtitle>First run: this account will own the workspace.</mat-card-subtitle>
        }
      </mat-card-header>
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          @if (mode() === 'setup') {
            <mat-form-field>
              <mat-label>Your name</mat-label>
              <input matInput formControlName="displayName" autocomplete="name" required />
            </mat-form-field>
            <mat-form-field>
              <mat-label>Workspace name</mat-label>
              <input matInput formControlName="workspaceName" required />
            </mat-form-field>
          }
          <mat-form-field>
            <mat-label>Email</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="username" required />
            @if (form.controls.email.invalid && form.controls.email.touched) {
              <mat-error>Enter a valid email address</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Password</mat-label>
            <input
              matInput
              type="password"
              formControlName="password"
              [attr.autocomplete]="mode() === 'setup' ? 'new-password' : 'current-password'"
              required
            />
            @if (mode() === 'setup') {
              <mat-hint>At least 12 characters</mat-hint>
            }
            @if (form.controls.password.invalid && form.controls.password.touched) {
              <mat-error>{{ mode() === 'setup' ? 'Use at least 12 characters' : 'Enter your password' }}</mat-error>
            }
          </mat-form-field>
          @if (error()) {
            <p class="sx-err" role="alert">{{ error() }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="login-submit">
            {{ mode() === 'setup' ? 'Create account and sign in' : 'Sign in' }}
          </button>
          <button mat-button type="button" (click)="switchMode()">
            {{ mode() === 'setup' ? 'I already have an account' : 'First run? Create the admin account' }}
          </button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class LoginPage implements OnInit {
  private readonly auth = inject(AuthStore);
  private readonly authApi = inject(AuthApi);
  private readonly router = inject(Router);
  protected readonly mode = signal<'login' | 'setup'>('login');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    displayName: [''],
    workspaceName: ['My workspace'],
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required]],
  });

  async ngOnInit(): Promise<void> {
    if (await this.auth.restore()) {
      await this.router.navigateByUrl('/home');
      return;
    }
    try {
      if (await this.authApi.setupNeeded()) this.setMode('setup');
    } catch {
      // Cannot tell: stay on sign-in; the switch link still offers setup.
    }
  }

  protected switchMode(): void {
    this.setMode(this.mode() === 'setup' ? 'login' : 'setup');
  }

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { email, password, displayName, workspaceName } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    try {
      if (this.mode() === 'setup') await this.auth.setup(email, password, displayName.trim() || email, workspaceName.trim() || 'My workspace');
      else await this.auth.login(email, password);
      await this.router.navigateByUrl('/home');
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'setup_required') this.setMode('setup');
      this.error.set(e.message);
    } finally {
      this.busy.set(false);
    }
  }

  private setMode(mode: 'login' | 'setup'): void {
    this.mode.set(mode);
    const pw = this.form.controls.password;
    pw.setValidators(mode === 'setup' ? [Validators.required, Validators.minLength(12)] : [Validators.required]);
    pw.updateValueAndValidity();
  }
}
