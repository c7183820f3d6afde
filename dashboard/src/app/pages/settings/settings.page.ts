import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { ApiClient } from '../../core/api/api-client';
import { ApiKeySummary, AuthApi } from '../../core/api/auth.api';
import { SystemApi } from '../../core/api/system.api';
import { formatInZone } from '../../core/util/time';
import { PasswordCardComponent } from './password-card.component';
import { TeamCardComponent } from './team-card.component';
import { AuthStore } from '../../core/auth/auth.store';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { PreferencesService } from '../../core/util/preferences.service';
import { ThemeService } from '../../core/util/theme.service';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { ZonePickerComponent } from '../../shared/zone-picker/zone-picker.component';

/** Display preferences (theme, default zone) and API keys for automation (admin only). */
@Component({
  selector: 'sx-settings-page',
  imports: [
    FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule,
    MatSlideToggleModule, LoadStateComponent, ZonePickerComponent, PasswordCardComponent, TeamCardComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings.page.html',
  styles: `mat-card { padding: 16px; margin-bottom: 16px; max-width: 760px; } .sx-row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
    .sx-key { padding: 12px; border-radius: 8px; background: var(--mat-sys-tertiary-container); overflow-wrap: anywhere; }
    ul { list-style: none; padding: 0; } li { display: flex; gap: 8px; align-items: center; padding: 4px 0; }`,
})
export class SettingsPage implements OnInit {
  private readonly authApi = inject(AuthApi);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(Notify);
  protected readonly auth = inject(AuthStore);
  protected readonly prefs = inject(PreferencesService);
  protected readonly theme = inject(ThemeService);
  protected readonly keys = new Loadable<ApiKeySummary[]>(() => this.authApi.listApiKeys());
  protected readonly keyName = signal('');
  protected readonly keyRole = signal<ApiKeySummary['role']>('editor');
  private readonly client = inject(ApiClient);
  private readonly system = inject(SystemApi);
  protected readonly me = signal<{ displayName: string; email: string; workspaceName: string } | null>(null);
  protected readonly running = signal(false);
  protected readonly roleText: Record<string, string> = {
    admin: 'you are an admin: you can change everything, including people and keys',
    editor: 'you are an editor: you can create and schedule posts',
    viewer: 'you are a viewer: you can look but not change',
  };
  /** The new key's secret, shown once until the page is left. */
  protected readonly revealed = signal<string | null>(null);

  ngOnInit(): void {
    if (this.auth.identity()?.role === 'admin') void this.keys.load();
    this.client.get<{ displayName: string; email: string; workspaceName: string }>('/api/me').then((m) => this.me.set(m), () => undefined);
  }

  protected day(iso: string): string {
    return formatInZone(iso, this.prefs.prefs().zone, 'd LLL yyyy');
  }

  protected async runScheduler(): Promise<void> {
    this.running.set(true);
    try {
      const res = await this.system.runScheduler();
      this.notify.ok(res.claimed ? `${res.claimed} due post${res.claimed === 1 ? '' : 's'} sent on their way` : 'Nothing was due');
    } catch (err) {
      this.notify.error(err);
    } finally {
      this.running.set(false);
    }
  }

  protected async createKey(): Promise<void> {
    try {
      const created = await this.authApi.createApiKey(this.keyName().trim(), this.keyRole());
      this.revealed.set(created.key);
      const { key: _secret, ...summary } = created;
      this.keys.update((l) => [...l, summary]);
      this.keyName.set('');
    } catch (err) {
      this.notify.error(err);
    }
  }

  protected async revoke(k: ApiKeySummary): Promise<void> {
    const ok = await confirmAction(this.dialog, { title: `Revoke “${k.name}”?`, message: 'Scripts using it stop working at once.', confirm: 'Revoke', danger: true });
    if (!ok) return;
    try {
      await this.authApi.revokeApiKey(k.id);
      this.keys.update((l) => l.filter((x) => x.id !== k.id));
      this.notify.ok('Key revoked');
    } catch (err) {
      this.notify.error(err);
    }
  }

  protected async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.notify.ok('Copied');
    } catch (err) {
      this.notify.error(err);
    }
  }
}
