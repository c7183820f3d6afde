import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { CREDENTIAL_EXPIRY_KEY, SESSION_REQUEST_KEY, type AuthedRequest } from '../auth/auth.guard';
import { principalOf } from '../auth/current-principal.decorator';
import { MinRole } from '../auth/roles.decorator';
import { AllowSseTicket, SseTicketService } from '../auth/sse-ticket.service';
import { EventHub } from './event-hub.service';
import { z } from 'zod';
import { ZodResponse } from '../http/api-schemas';

/**
 * Live domain events. Browsers first POST /api/events/ticket (with the access token) and open
 * `new EventSource('/api/events?ticket=…&lastEventId=…')`; other clients may send the Authorization
 * header instead. The stream ends (`event: closed`) when the credential expires or is revoked;
 * reconnect with a fresh ticket and the last seen id to resume.
 */
@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hub: EventHub,
    private readonly tickets: SseTicketService,
  ) {}

  @Post('ticket')
  @MinRole('viewer')
  @HttpCode(201)
  @ZodResponse(201, z.object({ ticket: z.string(), expiresAt: z.iso.datetime() }), 'Single-use, 30 s')
  ticket(@Req() req: AuthedRequest) {
    const principal = principalOf(req);
    const credentialId = req[SESSION_REQUEST_KEY] ?? principal.userId;
    return this.tickets.issue(principal, credentialId, this.expiryOf(req));
  }

  @Get()
  @AllowSseTicket()
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'ticket', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'lastEventId', required: false, schema: { type: 'string' } })
  stream(@Req() req: AuthedRequest, @Res() res: Response): void {
    const principal = principalOf(req);
    const header = req.get('last-event-id');
    const query = typeof req.query['lastEventId'] === 'string' ? req.query['lastEventId'] : undefined;
    const lastEventId = (header ?? query)?.slice(0, 128);
    this.hub.open(principal, req[SESSION_REQUEST_KEY] ?? principal.userId, this.expiryOf(req), lastEventId, res);
  }

  private expiryOf(req: AuthedRequest): Date {
    const expiry = req[CREDENTIAL_EXPIRY_KEY];
    if (!expiry || expiry.getTime() <= this.clock.nowMs()) throw new AppError('invalid_token', 'The access token is not valid', 401);
    return expiry;
  }
}
