import { Module } from '@nestjs/common';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { FilesController } from './files.controller';

/** REST routes of the media library under /api; the byte routes (/media/*) belong to MediaModule. */
@Module({ controllers: [FilesController], providers: [CommandProxy] })
export class MediaRoutesModule {}
