import { AuthExpiredError, DisconnectedError, type RefreshResult } from '@sx/plugin-sdk';
import type { Clock } from '@sx/service-kit';
import type { PluginMethod, WireCallContext } from '../host/child/ipc-protocol';
import type { PluginHost } from '../host/plugin-host.service';
import type { CallOutcome } from '../host/plugin-process';
import type { AccountWithCredentials } from './account.types';
import type { AccountsRepository } from './accounts.repository';
import { PublisherMetrics } from '../publisher.metrics';

export type CallExtras = Omit<WireCallContext, 'accountId' | 'credentials' | 'settings'>;

/**
 * Calls a plugin on behalf of a connected account. On `auth_expired` it refreshes the credentials
 * once — single flight per account in this process, and serialised across replicas by a row lock
 * plus a credentials version — then repeats the call with the new credentials.
 */
export class AccountCaller {
  private readonly inflight = new Map<string, Promise<AccountWithCredentials>>();

  constructor(
    private readonly host: PluginHost,
    private readonly accounts: AccountsRepository,
    private readonly clock: Clock,
    private readonly metrics: PublisherMetrics = new PublisherMetrics(),
  ) {}

  async call<T>(acct: AccountWithCredentials, method: PluginMethod, extras: CallExtras, args: unknown[]): Promise<CallOutcome<T>> {
    try {
      return await this.host.call<T>(acct.account.pluginId, method, this.ctx(acct, extras), args);
    } catch (e) {
      if (!(e instanceof AuthExpiredError) || !this.canRefresh(acct)) throw e;
      const fresh = await this.refresh(acct);
      return this.host.call<T>(fresh.account.pluginId, method, this.ctx(fresh, extras), args);
    }
  }

  /** Single-flight refresh; marks the account needs_reconnect when the platform refuses the refresh. */
  refresh(acct: AccountWithCredentials): Promise<AccountWithCredentials> {
    const key = acct.account.id;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.doRefresh(acct).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async doRefresh(acct: AccountWithCredentials): Promise<AccountWithCredentials> {
    const { workspaceId, id } = acct.account;
    try {
      return await this.accounts.refreshLocked(
        workspaceId,
        id,
        acct.account.credVersion,
        async (current) => {
          this.metrics.refreshes.inc({ plugin: current.account.pluginId });
          const r = await this.host.call<RefreshResult>(current.account.pluginId, 'refreshCredentials', this.ctx(current, {}), []);
          return { credentials: r.value.credentials, expiresAt: r.value.expiresAt ? new Date(r.value.expiresAt) : undefined };
        },
        this.clock.now(),
      );
    } catch (e) {
      if (e instanceof DisconnectedError || e instanceof AuthExpiredError) {
        await this.accounts.setStatus(workspaceId, id, 'needs_reconnect', this.clock.now());
        throw new DisconnectedError(`the platform refused to refresh the credentials: reconnect the account (${e.message})`);
      }
      throw e;
    }
  }

  private canRefresh(acct: AccountWithCredentials): boolean {
    try {
      return this.host.manifest(acct.account.pluginId).capabilities.includes('refresh');
    } catch {
      return false;
    }
  }

  private ctx(acct: AccountWithCredentials, extras: CallExtras): WireCallContext {
    return { ...extras, accountId: acct.account.id, credentials: acct.credentials, settings: acct.account.settings };
  }
}
