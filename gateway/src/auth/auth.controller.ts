import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppError } from '@sx/service-kit';
import { loginSchema, refreshSchema, setupSchema, type LoginDto, type RefreshDto, type SetupDto } from './auth.dto';
import { AuthService, type ClientInfo } from './auth.service';
import { CurrentPrincipal } from './current-principal.decorator';
import { SESSION_REQUEST_KEY } from './auth.guard';
import type { Principal } from './principal';
import { MinRole, Public } from './roles.decorator';
import { ZodBody } from '../http/zod.pipe';
import { z } from 'zod';
import { loginResponse, tokenPairResponse, ZodResponse } from '../http/api-schemas';

const clientOf = (req: Request): ClientInfo => ({ ip: req.ip, userAgent: req.get('user-agent') });

/**
 * Sign-in. Tokens travel in JSON bodies only (no cookies, so no CSRF surface): the access token
 * goes in `Authorization: Bearer`, the refresh token back to POST /api/auth/refresh, once.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('setup')
  @Public()
  @ZodResponse(200, z.object({ needed: z.boolean() }))
  async setupStatus(): Promise<{ needed: boolean }> {
    return { needed: await this.auth.setupNeeded() };
  }

  @Post('setup')
  @Public()
  @ZodResponse(201, loginResponse, 'The owner, signed in')
  setup(@ZodBody(setupSchema) dto: SetupDto, @Req() req: Request) {
    return this.auth.setup(dto, clientOf(req));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ZodResponse(200, loginResponse)
  login(@ZodBody(loginSchema) dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto, clientOf(req));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ZodResponse(200, tokenPairResponse, 'A new pair; the presented refresh token is spent')
  refresh(@ZodBody(refreshSchema) dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @MinRole('viewer')
  @HttpCode(204)
  async logout(@CurrentPrincipal() p: Principal, @Req() req: Request & { [SESSION_REQUEST_KEY]?: string }): Promise<void> {
    const sessionId = req[SESSION_REQUEST_KEY];
    if (p.kind !== 'user' || !sessionId) throw new AppError('not_a_session', 'Only a user session can log out', 400);
    await this.auth.logout(sessionId);
  }
}
