import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  MediaDelete,
  MediaGet,
  MediaImportUrl,
  MediaList,
  MediaRestore,
  MediaUpdate,
  MediaUploadComplete,
  MediaUploadInit,
  MediaUploadParts,
} from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { ZodQuery } from '../../http/zod.pipe';
import { jsonObjectBody } from '../../http/json-body';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { filesQuerySchema, type FilesQuery } from './files-query';

/** URL imports download and validate the file before answering. */
const IMPORT_TIMEOUT_MS = 130_000;

/** The media library (seed's first screen), served by the media service over the bus. Bytes live under /media. */
@ApiTags('media')
@Controller()
export class FilesController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get('files')
  @ApiOperation({ summary: 'Library page: keyset-paginated, filtered by type, status, platform, tags, dates, keyword' })
  list(@CurrentPrincipal() p: Principal, @ZodQuery(filesQuerySchema) q: FilesQuery) {
    return this.proxy.call(MediaList, p, q);
  }

  @Get('files/:id')
  @ApiOperation({ summary: 'One asset with its metadata, status and URLs' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(MediaGet, p, { assetId: id });
  }

  @Patch('files/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Set tags and target platforms' })
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(MediaUpdate, p, { ...jsonObjectBody(body), assetId: id });
  }

  @Delete('files/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Soft delete (restorable); emits media.deleted' })
  remove(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(MediaDelete, p, { assetId: id });
  }

  @Post('files/:id/restore')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a soft-deleted asset' })
  restore(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(MediaRestore, p, { assetId: id });
  }

  @Post('files/uploads')
  @MinRole('editor')
  @ApiOperation({ summary: 'A presigned PUT URL, or with `multipart: true` presigned part URLs (S3: straight to the bucket; disk: /storage/objects), then complete' })
  uploadInit(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(MediaUploadInit, p, body);
  }

  @Post('files/uploads/:uploadId/parts')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'A page of presigned part URLs for a multipart direct upload (`multipartId`, `fromPart`, `count`)' })
  uploadParts(@CurrentPrincipal() p: Principal, @Param('uploadId') uploadId: string, @Body() body: unknown) {
    return this.proxy.call(MediaUploadParts, p, { ...jsonObjectBody(body), uploadId });
  }

  @Post('files/uploads/:uploadId/complete')
  @MinRole('editor')
  @ApiOperation({ summary: 'Validate and ingest what was PUT to the presigned URL (multipart: with `multipartId` and the parts\' ETags)' })
  uploadComplete(@CurrentPrincipal() p: Principal, @Param('uploadId') uploadId: string, @Body() body: unknown) {
    return this.proxy.call(MediaUploadComplete, p, { ...jsonObjectBody(body), uploadId }, { timeoutMs: IMPORT_TIMEOUT_MS });
  }

  @Post('files/import')
  @MinRole('editor')
  @ApiOperation({ summary: 'Import from a URL through the SSRF-safe egress helper; same validation as uploads' })
  importUrl(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(MediaImportUrl, p, body, { timeoutMs: IMPORT_TIMEOUT_MS });
  }
}
