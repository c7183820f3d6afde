import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublisherPluginsList } from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { CommandProxy } from '../../proxy/command-proxy.service';

/** Installed platform plugins (a folder under plugins/ each), served by the publisher. */
@ApiTags('plugins')
@Controller('plugins')
export class PluginsController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get()
  @ApiOperation({
    summary: 'List plugins with status (ready / failed with the reason / quarantined), capabilities and manifest (limits, JSON schemas)',
  })
  list(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(PublisherPluginsList, p, {});
  }
}
