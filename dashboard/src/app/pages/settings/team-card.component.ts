import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { toApiError } from '../../core/api/api-error';
import { TeamApi, TeamMember, TeamRole } from '../../core/api/team.api';
import { AuthStore } from '../../core/auth/auth.store';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';

const ROLE_TEXT: Record<TeamRole, string> = {
  admin: 'Admin — everything, including people and keys',
  editor: 'Editor — creates and schedules posts',
  viewer: 'Viewer — can look, cannot change',
};

/** Admins: who is in the workspace, their role, add a person, disable or re-enable someone. */
@Component({
  selector: 'sx-team-card',
  imports: [FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, MatSelectModule, LoadStateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    ul { list-style: none; padding: 0; margin: 0 0 12px; }
    li { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 6px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sx-who { flex: 1; min-width: 180px; }
    .sx-who small { display: block; }
    .sx-add { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
    .sx-err { color: var(--mat-sys-error); }
  `,
  template: `
    <mat-card appearance="outlined" data-testid="team-card">
      <mat-card-title>Team</mat-card-title>
      <sx-load-state [loading]="members.loading()" [error]="members.error()" (retry)="members.load()">
        <ul>
          @for (m of members.value() ?? []; track m.id) {
            <li [attr.data-testid]="'member-' + m.email">
              <span class="sx-who">
                <strong>{{ m.displayName }}</strong>@if (m.id === auth.identity()?.userId) { (you) }
                <small class="sx-muted">{{ m.email }}{{ m.disabledAt ? ' · disabled' : '' }}{{ m.isOwner ? ' · owner' : '' }}</small>
              </span>
              <mat-form-field subscriptSizing="dynamic">
                <mat-label>Role</mat-label>
                <mat-select [value]="m.role" (selectionChange)="setRole(m, $event.value)" [disabled]="m.isOwner">
                  @for (r of roles; track r) { <mat-option [value]="r">{{ r }}</mat-option> }
                </mat-select>
              </mat-form-field>
              @if (!m.isOwner && m.id !== auth.identity()?.userId) {
                <button mat-button type="button" (click)="toggleDisabled(m)">{{ m.disabledAt ? 'Enable' : 'Disable' }}</button>
              }
            </li>
          }
        </ul>
      </sx-load-state>
      <h3>Add a person</h3>
      <p class="sx-muted">Give them the password you set here; they can change it under Settings.</p>
      <div class="sx-add">
        <mat-form-field><mat-label>Name</mat-label><input matInput [(ngModel)]="name" data-testid="team-name" /></mat-form-field>
        <mat-form-field><mat-label>Email</mat-label><input matInput type="email" [(ngModel)]="email" data-testid="team-email" /></mat-form-field>
        <mat-form-field><mat-label>First password (12+ characters)</mat-label><input matInput type="password" autocomplete="new-password" [(ngModel)]="password" data-testid="team-password" /></mat-form-field>
        <mat-form-field>
          <mat-label>Role</mat-label>
          <mat-select [(ngModel)]="role">
            @for (r of roles; track r) { <mat-option [value]="r">{{ roleText[r] }}</mat-option> }
          </mat-select>
        </mat-form-field>
        <button mat-flat-button type="button" (click)="add()" [disabled]="busy() || !name.trim() || !email.trim() || password.length < 12" data-testid="team-add">Add</button>
      </div>
      @if (error()) { <p class="sx-err" role="alert">{{ error() }}</p> }
    </mat-card>
  `,
})
export class TeamCardComponent implements OnInit {
  private readonly api = inject(TeamApi);
  private readonly notify = inject(Notify);
  protected readonly auth = inject(AuthStore);
  protected readonly roles: TeamRole[] = ['admin', 'editor', 'viewer'];
  protected readonly roleText = ROLE_TEXT;
  protected readonly members = new Loadable<TeamMember[]>(() => this.api.members());
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected name = '';
  protected email = '';
  protected password = '';
  protected role: TeamRole = 'editor';

  ngOnInit(): void {
    void this.members.load();
  }

  protected async add(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const m = await this.api.add({ displayName: this.name.trim(), email: this.email.trim(), password: this.password, role: this.role });
      this.members.update((l) => [...l, m]);
      this.notify.ok(`${m.displayName} added as ${m.role}`);
      this.name = this.email = this.password = '';
    } catch (err) {
      this.error.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async setRole(m: TeamMember, role: TeamRole): Promise<void> {
    await this.patch(m, { role }, `${m.displayName} is now ${role}`);
  }

  protected async toggleDisabled(m: TeamMember): Promise<void> {
    await this.patch(m, { disabled: !m.disabledAt }, `${m.displayName} ${m.disabledAt ? 'enabled' : 'disabled'}`);
  }

  private async patch(m: TeamMember, patch: { role?: TeamRole; disabled?: boolean }, done: string): Promise<void> {
    try {
      const updated = await this.api.update(m.id, patch);
      this.members.update((l) => l.map((x) => (x.id === m.id ? updated : x)));
      this.notify.ok(done);
    } catch (err) {
      this.notify.error(err);
      void this.members.load();
    }
  }
}
