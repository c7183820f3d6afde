import { All, Controller, Get, Head, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MediaHttpErrorFilter } from './app-error.filter';
import { MediaServeService } from './media-serve.service';
import { RawUploadService } from './raw-upload.service';
import { TusUploadService } from './tus-upload.service';

/**
 * Byte routes, outside the /api prefix: uploads (raw and tus) and content with ranges.
 * Each handler is one call; auth comes from the gateway (embedded) or its headers (distributed).
 */
@ApiExcludeController()
@UseFilters(MediaHttpErrorFilter)
@Controller('media')
export class MediaFilesController {
  constructor(
    private readonly raw: RawUploadService,
    private readonly tus: TusUploadService,
    private readonly serve: MediaServeService,
  ) {}

  @Post('uploads')
  upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.raw.handle(req, res);
  }

  @All(['tus', 'tus/:uploadId'])
  resumable(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @Get(':id/thumbnail')
  @Head(':id/thumbnail')
  thumbnail(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.serve.send(req, res, id, 'thumbnail');
  }

  @Get(':id/original')
  @Head(':id/original')
  original(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.serve.send(req, res, id, 'original');
  }

  @Get(':id')
  @Head(':id')
  content(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.serve.send(req, res, id, 'content');
  }
}
