import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import {
  changePasswordSchema,
  createUserSchema,
  createWorkspaceSchema,
  pageQuerySchema,
  updateUserSchema,
  type ChangePasswordDto,
  type CreateUserDto,
  type CreateWorkspaceDto,
  type UpdateUserDto,
} from '../auth/auth.dto';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ZodBody, ZodQuery } from '../http/zod.pipe';
import { UsersService } from './users.service';
import { z } from 'zod';
import { pageResponse, userResponse, ZodResponse } from '../http/api-schemas';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ZodResponse(200, userResponse.extend({ workspaceName: z.string() }))
  me(@CurrentPrincipal() p: Principal) {
    return this.users.me(p);
  }

  @Post('me/password')
  @HttpCode(200)
  @MinRole('viewer')
  @ZodResponse(200, z.object({ ok: z.literal(true) }))
  changePassword(@CurrentPrincipal() p: Principal, @ZodBody(changePasswordSchema) dto: ChangePasswordDto) {
    return this.users.changePassword(p, dto);
  }

  @Get('users')
  @ZodResponse(200, pageResponse(userResponse))
  @MinRole('admin')
  list(@CurrentPrincipal() p: Principal, @ZodQuery(pageQuerySchema) q: { limit: number; cursor?: string }) {
    return this.users.list(p, q.limit, q.cursor);
  }

  @Post('users')
  @ZodResponse(201, userResponse)
  @MinRole('admin')
  create(@CurrentPrincipal() p: Principal, @ZodBody(createUserSchema) dto: CreateUserDto) {
    return this.users.create(p, dto);
  }

  @Patch('users/:id')
  @ZodResponse(200, userResponse)
  @MinRole('admin')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @ZodBody(updateUserSchema) dto: UpdateUserDto,
  ) {
    return this.users.update(p, id, dto);
  }

  @Post('workspaces')
  @ZodResponse(201, z.object({ id: z.uuid(), name: z.string(), admin: userResponse }))
  @MinRole('admin')
  createWorkspace(@CurrentPrincipal() p: Principal, @ZodBody(createWorkspaceSchema) dto: CreateWorkspaceDto) {
    return this.users.createWorkspace(p, dto);
  }
}
