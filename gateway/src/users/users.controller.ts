import { Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import {
  createUserSchema,
  createWorkspaceSchema,
  pageQuerySchema,
  updateUserSchema,
  type CreateUserDto,
  type CreateWorkspaceDto,
  type UpdateUserDto,
} from '../auth/auth.dto';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ZodBody, ZodQuery } from '../http/zod.pipe';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentPrincipal() p: Principal) {
    return this.users.me(p);
  }

  @Get('users')
  @MinRole('admin')
  list(@CurrentPrincipal() p: Principal, @ZodQuery(pageQuerySchema) q: { limit: number; cursor?: string }) {
    return this.users.list(p, q.limit, q.cursor);
  }

  @Post('users')
  @MinRole('admin')
  create(@CurrentPrincipal() p: Principal, @ZodBody(createUserSchema) dto: CreateUserDto) {
    return this.users.create(p, dto);
  }

  @Patch('users/:id')
  @MinRole('admin')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @ZodBody(updateUserSchema) dto: UpdateUserDto,
  ) {
    return this.users.update(p, id, dto);
  }

  @Post('workspaces')
  @MinRole('admin')
  createWorkspace(@CurrentPrincipal() p: Principal, @ZodBody(createWorkspaceSchema) dto: CreateWorkspaceDto) {
    return this.users.createWorkspace(p, dto);
  }
}
