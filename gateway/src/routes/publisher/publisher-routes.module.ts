import { Module } from '@nestjs/common';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { AccountsController } from './accounts.controller';
import { PluginsController } from './plugins.controller';

/** /api/plugins and /api/accounts, proxied to the publisher service over the bus. */
@Module({ controllers: [PluginsController, AccountsController], providers: [CommandProxy] })
export class PublisherRoutesModule {}
