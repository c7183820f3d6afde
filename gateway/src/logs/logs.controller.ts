import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { FIRST_WORKSPACE_ID } from '@sx/contracts';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { CREDENTIAL_EXPIRY_KEY, type AuthedRequest } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { LogsService, parseCursor, type LogsFilter } from './logs.service';

const POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;

const querySchema = z.object({
  service: z.string().max(32).optional(),
  correlationId: z.string().max(128).optional(),
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(200),
  cursor: z.string().max(400).optional(),
});

/**
 * Log lines are the whole process's, so they tell of every workspace: only the administrators of the
 * instance's own workspace (the one created at first run) may read them, never another tenant's admin.
 */
function assertInstanceAdmin(p: Principal): void {
  if (p.workspaceId !== FIRST_WORKSPACE_ID) {
    throw new AppError('forbidden', "Logs span every workspace: only the administrators of this installation's first workspace can read them", 403);
  }
}

function parseQuery(q: unknown): { filter: LogsFilter; cursor: string | undefined } {
  const r = querySchema.safeParse(q);
  if (!r.success) throw AppError.validation('the log filter is not valid', { problems: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
  const { service, correlationId, level, limit, cursor } = r.data;
  return { filter: { service: service || undefined, correlationId: correlationId || undefined, minLevel: level, limit }, cursor };
}

/**
 * The services' recent log lines (admins only: they span every workspace). GET /api/logs is one page;
 * GET /api/logs/stream is the same as server-sent events, polled from the rings once a second.
 */
@ApiTags('logs')
@Controller('logs')
export class LogsController {
  constructor(
    private readonly logs: LogsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @MinRole('admin')
  @ApiOperation({ summary: "Recent log lines of the scheduler, publisher and pipeline (filter by service, level, correlation id; secrets removed)" })
  async page(@CurrentPrincipal() p: Principal, @Query() q: unknown) {
    assertInstanceAdmin(p);
    const { filter, cursor } = parseQuery(q);
    return this.logs.read(filter, parseCursor(cursor));
  }

  @Get('stream')
  @MinRole('admin')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live log lines as server-sent events (`event: log`), same filters; resumes from `cursor` or Last-Event-ID' })
  async stream(@CurrentPrincipal() p: Principal, @Req() req: AuthedRequest, @Query() q: unknown, @Res() res: Response): Promise<void> {
    assertInstanceAdmin(p);
    const { filter, cursor: given } = parseQuery(q);
    const expiry = req[CREDENTIAL_EXPIRY_KEY];
    if (!expiry || expiry.getTime() <= this.clock.nowMs()) throw new AppError('invalid_token', 'The access token is not valid', 401);
    let cursor = parseCursor(req.get('last-event-id') ?? given);
    // The first page goes out at once; then only what is new.
    const first = await this.logs.read(filter, cursor);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 5000\n: connected\n\n');
    let closed = false;
    let busy = false;
    let lastWrite = this.clock.nowMs();
    // The first frame goes out even when empty, so the panel knows it is live when nothing matches yet.
    const send = (page: Awaited<ReturnType<LogsService['read']>>, always = false) => {
      cursor = parseCursor(page.cursor);
      if (always || page.items.length || page.unavailable.length) {
        res.write(`id: ${page.cursor}\nevent: log\ndata: ${JSON.stringify({ items: page.items, unavailable: page.unavailable })}\n\n`);
        lastWrite = this.clock.nowMs();
      }
    };
    send(first, true);
    const timer = setInterval(() => {
      if (closed || busy) return;
      if (this.clock.nowMs() >= expiry.getTime()) {
        res.write('event: closed\ndata: {"reason":"credential_expired"}\n\n');
        return void res.end();
      }
      busy = true;
      this.logs
        .read(filter, cursor)
        .then((page) => {
          if (closed) return;
          send(page);
          if (this.clock.nowMs() - lastWrite >= HEARTBEAT_MS) {
            res.write(': keep-alive\n\n');
            lastWrite = this.clock.nowMs();
          }
        })
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, POLL_MS);
    res.on('close', () => {
      closed = true;
      clearInterval(timer);
    });
  }
}
