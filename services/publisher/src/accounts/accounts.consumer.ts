import { Inject, Injectable } from '@nestjs/common';
import { OnCommand } from '@sx/bus';
import {
  PublisherAccountsCallback,
  PublisherAccountsConnect,
  PublisherAccountsDisconnect,
  PublisherAccountsHealth,
  PublisherAccountsList,
  PublisherAccountsProfile,
  PublisherAccountsUpdate,
  PublisherCredentialsRotate,
  PublisherPluginsList,
  type CommandContext,
  type CommandReply,
  type CommandRequest,
  type CommandResponse,
} from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { PluginHost } from '../host/plugin-host.service';
import { CREDENTIAL_CIPHER } from '../publisher.tokens';
import type { CredentialCipher } from '../credentials/credential-cipher';
import { AccountsService } from './accounts.service';

type Reply<D extends Parameters<typeof OnCommand>[0]> = Promise<CommandReply<CommandResponse<D>>>;
const ok = <T>(data: T): CommandReply<T> => ({ ok: true, data });

function requireEditor(ctx: CommandContext): void {
  if (ctx.role === 'viewer') throw new AppError('forbidden', 'this needs the editor role', 403);
}

/**
 * Bus commands for plugins and accounts; every handler is scoped to ctx.workspaceId.
 * Idempotency: reads are pure; connect upserts by platform identity (a repeat reconnects the same
 * account); callback consumes its state once; disconnect and rotate converge when repeated.
 */
@Injectable()
export class AccountsConsumer {
  constructor(
    private readonly accounts: AccountsService,
    private readonly host: PluginHost,
    @Inject(CREDENTIAL_CIPHER) private readonly cipher: CredentialCipher,
  ) {}

  @OnCommand(PublisherPluginsList)
  async plugins(): Reply<typeof PublisherPluginsList> {
    await this.host.load();
    return ok({ items: this.host.list() });
  }

  @OnCommand(PublisherAccountsList)
  async list(r: CommandRequest<typeof PublisherAccountsList>, ctx: CommandContext): Reply<typeof PublisherAccountsList> {
    return ok({ items: await this.accounts.list(ctx, r.pluginId) });
  }

  @OnCommand(PublisherAccountsConnect)
  async connect(r: CommandRequest<typeof PublisherAccountsConnect>, ctx: CommandContext): Reply<typeof PublisherAccountsConnect> {
    requireEditor(ctx);
    return ok(await this.accounts.connect(ctx, r));
  }

  @OnCommand(PublisherAccountsCallback)
  async callback(r: CommandRequest<typeof PublisherAccountsCallback>, ctx: CommandContext): Reply<typeof PublisherAccountsCallback> {
    requireEditor(ctx);
    return ok({ account: await this.accounts.callback(ctx, r.state, r.code, r.error) });
  }

  @OnCommand(PublisherAccountsDisconnect)
  async disconnect(r: CommandRequest<typeof PublisherAccountsDisconnect>, ctx: CommandContext): Reply<typeof PublisherAccountsDisconnect> {
    requireEditor(ctx);
    return ok({ account: await this.accounts.disconnect(ctx, r.accountId) });
  }

  @OnCommand(PublisherAccountsUpdate)
  async update(r: CommandRequest<typeof PublisherAccountsUpdate>, ctx: CommandContext): Reply<typeof PublisherAccountsUpdate> {
    requireEditor(ctx);
    const { accountId, ...patch } = r;
    return ok({ account: await this.accounts.edit(ctx, accountId, patch) });
  }

  @OnCommand(PublisherAccountsProfile)
  async profile(r: CommandRequest<typeof PublisherAccountsProfile>, ctx: CommandContext): Reply<typeof PublisherAccountsProfile> {
    return ok({ accountId: r.accountId, ...(await this.accounts.profile(ctx, r.accountId)) });
  }

  @OnCommand(PublisherAccountsHealth)
  async health(r: CommandRequest<typeof PublisherAccountsHealth>, ctx: CommandContext): Reply<typeof PublisherAccountsHealth> {
    return ok(await this.accounts.health(ctx, r.accountId));
  }

  @OnCommand(PublisherCredentialsRotate)
  async rotate(_r: CommandRequest<typeof PublisherCredentialsRotate>, ctx: CommandContext): Reply<typeof PublisherCredentialsRotate> {
    return ok(await this.accounts.rotate(ctx, this.cipher.activeKeyId));
  }
}
