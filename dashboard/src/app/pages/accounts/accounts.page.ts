import { ChangeDetectionStrategy, Component, DOCUMENT, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { Account, AccountHealth, PluginManifest, PluginsApi, RateLimitBudget, SlotConfig } from '../../core/api/plugins.api';
import { AuthStore } from '../../core/auth/auth.store';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { CountdownComponent } from '../../shared/countdown/countdown.component';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { ConnectAccountDialog } from './connect-account.dialog';
import { RateLimitBudgetComponent } from './rate-limit-budget.component';
import { SlotsDialog } from './slots.dialog';

/** Installed plugins (capabilities, load errors) and connected accounts (token expiry, health check, rate-limit budget). */
@Component({
  selector: 'sx-accounts-page',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatTableModule, CountdownComponent, LoadStateComponent, RateLimitBudgetComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './accounts.page.html',
  styles: `
    .sx-plugins { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; margin-bottom: 24px; }
    .sx-plugins mat-card { padding: 12px; }
    .sx-caps { display: flex; gap: 4px; flex-wrap: wrap; margin: 8px 0; }
    .sx-loaderr { color: var(--mat-sys-error); }
    h2 { font: var(--mat-sys-title-large); }
  `,
})
export class AccountsPage implements OnInit {
  private readonly api = inject(PluginsApi);
  private readonly doc = inject(DOCUMENT);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(Notify);
  protected readonly auth = inject(AuthStore);
  protected readonly plugins = new Loadable(() => this.api.plugins());
  protected readonly accounts = new Loadable(() => this.api.accounts());
  protected readonly columns = ['name', 'platform', 'status', 'token', 'health', 'actions'];
  protected readonly health = signal<Record<string, AccountHealth | string>>({});

  async ngOnInit(): Promise<void> {
    void this.plugins.load();
    await this.finishOAuth();
    void this.accounts.load();
  }

  /** Back from a platform's OAuth consent screen: hand code and state to the publisher. */
  private async finishOAuth(): Promise<void> {
    const params = new URLSearchParams(this.doc.location.search);
    const state = params.get('state');
    if (!state) return;
    try {
      const account = await this.api.oauthCallback(state, params.get('code'), params.get('error'));
      this.notify.ok(`${account.displayName} connected`);
    } catch (err) {
      this.notify.error(err);
    } finally {
      history.replaceState(null, '', this.doc.location.pathname);
    }
  }

  protected async connect(p: PluginManifest): Promise<void> {
    const ref = this.dialog.open<ConnectAccountDialog, PluginManifest, Account>(ConnectAccountDialog, { data: p });
    const account = await firstValueFrom(ref.afterClosed());
    if (!account) return;
    this.accounts.update((l) => [...l, account]);
    if (!this.accounts.value()) this.accounts.value.set([account]);
    this.notify.ok(`${account.displayName} connected`);
  }

  protected async editSlots(a: Account): Promise<void> {
    const ref = this.dialog.open<SlotsDialog, Account, SlotConfig>(SlotsDialog, { data: a });
    const saved = await firstValueFrom(ref.afterClosed());
    if (saved) this.notify.ok(`Posting times for ${a.displayName} saved`);
  }

  /** Ask the platform, through the plugin, whether the stored credentials still work. */
  protected async check(a: Account): Promise<void> {
    try {
      const h = await this.api.health(a.id);
      this.health.update((m) => ({ ...m, [a.id]: h }));
    } catch (err) {
      this.health.update((m) => ({ ...m, [a.id]: err instanceof Error ? err.message : 'Check failed' }));
    }
  }

  protected healthText(id: string): string | null {
    const h = this.health()[id];
    if (h === undefined) return null;
    return typeof h === 'string' ? h : `${h.status.replace('_', ' ')}${h.detail ? ` — ${h.detail}` : ''}`;
  }

  /** The rate-limit budget the last health check reported, if the plugin declares account limits. */
  protected budget(id: string): RateLimitBudget | null {
    const h = this.health()[id];
    return typeof h === 'object' && h.rateLimit ? h.rateLimit : null;
  }

  protected async disconnect(a: Account): Promise<void> {
    const ok = await confirmAction(this.dialog, {
      title: `Disconnect ${a.displayName}?`,
      message: 'Scheduled posts to this account will fail until it is connected again. Stored credentials are deleted.',
      confirm: 'Disconnect',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.api.disconnect(a.id);
      this.accounts.update((l) => l.filter((x) => x.id !== a.id));
      this.notify.ok('Disconnected');
    } catch (err) {
      this.notify.error(err);
    }
  }

}
