import { Module } from '@nestjs/common';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { AiTemplatesController } from './ai-templates.controller';

@Module({ controllers: [AiTemplatesController], providers: [CommandProxy] })
export class AiTemplatesRoutesModule {}
