import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { createApiKeySchema, pageQuerySchema, type CreateApiKeyDto } from '../auth/auth.dto';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ZodBody, ZodQuery } from '../http/zod.pipe';
import { ApiKeysService } from './api-keys.service';
import { z } from 'zod';
import { apiKeyResponse, pageResponse, ZodResponse } from '../http/api-schemas';

/** API keys for automation: created by admins, the secret shown once, revocable. */
@ApiTags('api-keys')
@Controller('api-keys')
@MinRole('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ZodResponse(201, apiKeyResponse.extend({ key: z.string() }), 'The key; its secret is shown only now')
  create(@CurrentPrincipal() p: Principal, @ZodBody(createApiKeySchema) dto: CreateApiKeyDto) {
    return this.keys.create(p, dto);
  }

  @Get()
  @ZodResponse(200, pageResponse(apiKeyResponse))
  list(@CurrentPrincipal() p: Principal, @ZodQuery(pageQuerySchema) q: { limit: number; cursor?: string }) {
    return this.keys.list(p, q.limit, q.cursor);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.keys.revoke(p, id);
  }
}
