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
import { ApiKeySummary, AuthApi } from '../../core/api/auth.api';
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
    MatSlideToggleModule, LoadStateComponent, ZonePickerComponent,
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
  /** The new key's secret, shown once until the page is left. */
  protected readonly revealed = signal<string | null>(null);

  ngOnInit(): void {
    if (this.auth.identity()?.role === 'admin') void this.keys.load();
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
