import { Module } from '@nestjs/common';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { PipelineController } from './pipeline.controller';

@Module({ controllers: [PipelineController], providers: [CommandProxy] })
export class PipelineRoutesModule {}
