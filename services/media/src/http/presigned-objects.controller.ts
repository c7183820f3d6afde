import { Controller, Get, Head, Put, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PublicRoute } from '@sx/service-kit';
import { MediaHttpErrorFilter } from './app-error.filter';
import { PresignedObjectsService, PRESIGNED_OBJECTS_PATH } from './presigned-objects.service';

/**
 * Disk-mode presigned URLs (`/storage/objects/<key>?method=&expires=&signature=`), outside the /api prefix.
 * Public: the URL's signature is the credential (platforms pull media from it with no session).
 */
@ApiExcludeController()
@PublicRoute()
@UseFilters(MediaHttpErrorFilter)
@Controller(PRESIGNED_OBJECTS_PATH)
export class PresignedObjectsController {
  constructor(private readonly objects: PresignedObjectsService) {}

  @Get('{*key}')
  @Head('{*key}')
  download(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.objects.get(req, res);
  }

  @Put('{*key}')
  upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.objects.put(req, res);
  }
}
