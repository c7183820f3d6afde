import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AuthExpiredError,
  checkJsonSchema,
  type AccountProfile,
  type ConnectInput,
  type ConnectResult,
  type OAuth2BeginResult,
} from '@sx/plugin-sdk';
import type { Account, CommandContext, CommandRequest, CommandResponse, PublisherAccountsConnect, PublisherAccountsHealth } from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import type { PluginHost } from '../host/plugin-host.service';
import type { AccountCaller } from './account-caller';
import { toAccountDto, type AccountRecord } from './account.types';
import type { AccountsRepository } from './accounts.repository';
import type { OAuthStatesRepository } from './oauth-states.repository';
import type { AccountRateLimiter } from '../publishing/rate-limiter';
import { toAppError } from './plugin-error-mapping';

type ConnectRequest = CommandRequest<typeof PublisherAccountsConnect>;
type ConnectResponse = CommandResponse<typeof PublisherAccountsConnect>;
type HealthResponse = CommandResponse<typeof PublisherAccountsHealth>;

const STATE_TTL_MS = 10 * 60_000;
const EXPIRING_MS = 24 * 3600_000;
const b64url = (b: Buffer) => b.toString('base64url');

/** Connect flows as each plugin declares them, and the account lifecycle. Every call is workspace-scoped. */
export class AccountsService {
  constructor(
    private readonly host: PluginHost,
    private readonly accounts: AccountsRepository,
    private readonly states: OAuthStatesRepository,
    private readonly caller: AccountCaller,
    private readonly clock: Clock,
    private readonly limiter: AccountRateLimiter,
  ) {}

  async list(ctx: CommandContext, pluginId?: string): Promise<Account[]> {
    return (await this.accounts.list(ctx.workspaceId, pluginId)).map(toAccountDto);
  }

  async connect(ctx: CommandContext, req: ConnectRequest): Promise<ConnectResponse> {
    await this.host.load();
    const manifest = this.manifestOr404(req.pluginId);
    if (req.input.kind !== manifest.auth.kind) {
      throw AppError.validation(`${manifest.name} connects with ${manifest.auth.kind}, not ${req.input.kind}`);
    }
    const problems = checkJsonSchema(manifest.settingsSchema, req.settings);
    if (problems.length) throw AppError.validation('the account settings are not valid', { problems });
    if (req.input.kind === 'oauth2_pkce') {
      const state = b64url(randomBytes(32));
      const codeVerifier = b64url(randomBytes(48));
      const codeChallenge = b64url(createHash('sha256').update(codeVerifier).digest());
      const begun = await this.host
        .call<OAuth2BeginResult>(req.pluginId, 'beginOAuth2', { settings: req.settings }, [
          { redirectUri: req.input.redirectUri, state, codeChallenge, codeChallengeMethod: 'S256' },
        ])
        .catch((e: unknown) => Promise.reject(toAppError(e, 'starting the authorization')));
      const expiresAt = new Date(this.clock.nowMs() + STATE_TTL_MS);
      await this.states.save({
        state,
        workspaceId: ctx.workspaceId,
        pluginId: req.pluginId,
        actorId: ctx.actorId,
        redirectUri: req.input.redirectUri,
        settings: req.settings,
        codeVerifier,
        pending: begun.value.pending,
        expiresAt,
      });
      return { status: 'redirect', authorizeUrl: begun.value.authorizeUrl, state, expiresAt: expiresAt.toISOString() };
    }
    const account = await this.complete(ctx, req.pluginId, req.settings, req.input as ConnectInput);
    return { status: 'connected', account: toAccountDto(account) };
  }

  async callback(ctx: CommandContext, state: string, code?: string, error?: string): Promise<Account> {
    const pending = await this.states.take(ctx.workspaceId, state, this.clock.now());
    if (!pending) throw new AppError('invalid_state', 'the authorization state is unknown, used or expired: start again', 400);
    if (error || !code) throw new AppError('authorization_denied', `the platform did not authorize: ${error ?? 'no code'}`, 400);
    const account = await this.complete(ctx, pending.pluginId, pending.settings, {
      kind: 'oauth2_code',
      code,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
      pending: pending.pending,
    });
    return toAccountDto(account);
  }

  async disconnect(ctx: CommandContext, accountId: string): Promise<Account> {
    await this.require(ctx, accountId);
    const a = await this.accounts.disconnect(ctx.workspaceId, accountId, this.clock.now());
    return toAccountDto(a);
  }

  async edit(ctx: CommandContext, accountId: string, patch: { displayName?: string | null; settings?: Record<string, unknown> }): Promise<Account> {
    const current = await this.require(ctx, accountId);
    if (patch.settings !== undefined) {
      const problems = checkJsonSchema(this.manifestOr404(current.pluginId).settingsSchema, patch.settings);
      if (problems.length) throw AppError.validation('the account settings are not valid', { problems });
    }
    return toAccountDto(await this.accounts.edit(ctx.workspaceId, accountId, patch, this.clock.now()));
  }

  async profile(ctx: CommandContext, accountId: string): Promise<AccountProfile & { fetchedAt: string }> {
    const acct = await this.accounts.withCredentials(ctx.workspaceId, accountId);
    if (!acct) throw AppError.notFound('account', accountId);
    if (acct.account.status === 'disconnected') throw new AppError('account_disconnected', 'the account is disconnected', 409);
    if (!this.manifestOr404(acct.account.pluginId).capabilities.includes('profile')) {
      return { ...this.storedProfile(acct.account), fetchedAt: acct.account.updatedAt.toISOString() };
    }
    const r = await this.caller.call<AccountProfile>(acct, 'fetchProfile', {}, []).catch((e: unknown) => Promise.reject(toAppError(e, 'reading the profile')));
    return { ...r.value, fetchedAt: this.clock.now().toISOString() };
  }

  async health(ctx: CommandContext, accountId: string): Promise<HealthResponse> {
    const acct = await this.accounts.withCredentials(ctx.workspaceId, accountId);
    if (!acct) throw AppError.notFound('account', accountId);
    const checkedAt = this.clock.now().toISOString();
    const base: Omit<HealthResponse, 'status'> = { accountId, checkedAt, expiresAt: acct.account.expiresAt?.toISOString() };
    if (acct.account.status !== 'active') return { ...base, status: acct.account.status };
    let caps: string[];
    try {
      const manifest = this.host.manifest(acct.account.pluginId);
      caps = manifest.capabilities;
      base.rateLimit = this.limiter.budget(accountId, manifest.rateLimits, this.clock.nowMs());
    } catch (e) {
      return { ...base, status: 'plugin_unavailable', detail: e instanceof Error ? e.message : String(e) };
    }
    if (caps.includes('profile')) {
      try {
        await this.caller.call(acct, 'fetchProfile', {}, []);
      } catch (e) {
        const mapped = toAppError(e, 'checking the token');
        if (mapped.code !== 'credentials_refused') return { ...base, status: 'unreachable', detail: mapped.message };
        return { ...base, status: e instanceof AuthExpiredError ? 'expired' : 'needs_reconnect', detail: mapped.message };
      }
    }
    const expiresMs = acct.account.expiresAt?.getTime();
    const refreshable = caps.includes('refresh');
    if (expiresMs !== undefined && !refreshable && expiresMs <= this.clock.nowMs()) return { ...base, status: 'expired' };
    if (expiresMs !== undefined && !refreshable && expiresMs - this.clock.nowMs() < EXPIRING_MS) return { ...base, status: 'expiring' };
    return { ...base, status: 'ok' };
  }

  async rotate(ctx: CommandContext, activeKeyId: string): Promise<{ rotated: number; keyId: string }> {
    if (ctx.role !== 'admin' && ctx.role !== 'system') throw new AppError('forbidden', 'only an admin can rotate credential keys', 403);
    return { rotated: await this.accounts.rotate(ctx.workspaceId, this.clock.now()), keyId: activeKeyId };
  }

  private async complete(ctx: CommandContext, pluginId: string, settings: Record<string, unknown>, input: ConnectInput): Promise<AccountRecord> {
    const manifest = this.manifestOr404(pluginId);
    const r = await this.host
      .call<ConnectResult>(pluginId, 'connect', { settings }, [input])
      .catch((e: unknown) => Promise.reject(toAppError(e, 'connecting the account')));
    const { credentials, profile, expiresAt } = r.value;
    return this.accounts.upsert({
      id: randomUUID(),
      workspaceId: ctx.workspaceId,
      pluginId,
      platform: manifest.platform,
      externalId: profile.externalId,
      handle: profile.handle,
      displayName: profile.displayName,
      url: profile.url,
      settings,
      credentials,
      expiresAt: expiresAt ? new Date(expiresAt) : undefined,
      now: this.clock.now(),
    });
  }

  private async require(ctx: CommandContext, accountId: string): Promise<AccountRecord> {
    const a = await this.accounts.get(ctx.workspaceId, accountId);
    if (!a) throw AppError.notFound('account', accountId);
    return a;
  }

  private manifestOr404(pluginId: string) {
    try {
      return this.host.manifest(pluginId);
    } catch (e) {
      throw toAppError(e, `plugin ${pluginId}`);
    }
  }

  private storedProfile(a: AccountRecord): AccountProfile {
    return { externalId: a.externalId, handle: a.handle, displayName: a.displayName ?? undefined, url: a.url ?? undefined };
  }
}
