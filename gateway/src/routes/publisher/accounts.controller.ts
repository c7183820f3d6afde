import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PublisherAccountsCallback,
  PublisherAccountsConnect,
  PublisherAccountsDisconnect,
  PublisherAccountsHealth,
  PublisherAccountsList,
  PublisherAccountsProfile,
  PublisherAccountsUpdate,
  PublisherCredentialsRotate,
} from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { jsonObjectBody } from '../../http/json-body';
import { CommandProxy } from '../../proxy/command-proxy.service';

/** Connected platform accounts; credentials go in, never come out. */
@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get()
  @ApiOperation({ summary: 'List connected accounts (optionally of one plugin)' })
  list(@CurrentPrincipal() p: Principal, @Query('pluginId') pluginId?: string) {
    return this.proxy.call(PublisherAccountsList, p, { pluginId });
  }

  @Post('connect')
  @MinRole('editor')
  @ApiOperation({
    summary:
      'Connect an account as the plugin declares: app password, bot token, webhook URL (connected at once) or OAuth2 PKCE (returns the authorize URL and state)',
  })
  connect(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(PublisherAccountsConnect, p, body);
  }

  @Post('oauth/callback')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Finish an OAuth2 connection with the state and code the platform redirected back with' })
  callback(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(PublisherAccountsCallback, p, body);
  }

  @Post('credentials/rotate')
  @MinRole('admin')
  @HttpCode(200)
  @ApiOperation({ summary: "Re-encrypt every account credential of the workspace with the active key (SX_CREDENTIAL_ACTIVE_KEY)" })
  rotate(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(PublisherCredentialsRotate, p, {});
  }

  @Post(':id/disconnect')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disconnect an account and erase its stored credentials' })
  disconnect(@CurrentPrincipal() p: Principal, @Param('id') accountId: string) {
    return this.proxy.call(PublisherAccountsDisconnect, p, { accountId });
  }

  @Patch(':id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Edit an account: displayName (null clears), settings (replaced whole, checked against the plugin schema); absent = unchanged' })
  update(@CurrentPrincipal() p: Principal, @Param('id') accountId: string, @Body() body: unknown) {
    return this.proxy.call(PublisherAccountsUpdate, p, { ...jsonObjectBody(body), accountId });
  }

  @Get(':id/profile')
  @ApiOperation({ summary: 'The account as the platform shows it now' })
  profile(@CurrentPrincipal() p: Principal, @Param('id') accountId: string) {
    return this.proxy.call(PublisherAccountsProfile, p, { accountId });
  }

  @Get(':id/health')
  @ApiOperation({ summary: 'Token health: ok, expiring, expired, needs_reconnect, disconnected, unreachable, plugin_unavailable' })
  health(@CurrentPrincipal() p: Principal, @Param('id') accountId: string) {
    return this.proxy.call(PublisherAccountsHealth, p, { accountId });
  }
}
