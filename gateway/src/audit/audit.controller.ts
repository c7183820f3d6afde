import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { MAX_PAGE_SIZE } from '../auth/auth.dto';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { decodeCursor, pageOf } from '../http/cursor';
import { ZodQuery } from '../http/zod.pipe';
import { AuditService } from './audit.service';
import { auditEntryResponse, pageResponse, ZodResponse } from '../http/api-schemas';

const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(512).optional(),
  actorId: z.string().max(64).optional(),
  action: z.string().max(200).optional(),
  target: z.string().max(500).optional(),
  outcome: z.enum(['success', 'denied', 'error']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The workspace's audit trail, newest first; live entries stream as `audit.recorded` on /api/events. */
@ApiTags('audit')
@Controller('audit-log')
@MinRole('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ZodResponse(200, pageResponse(auditEntryResponse))
  async list(@CurrentPrincipal() p: Principal, @ZodQuery(auditQuerySchema) q: AuditQuery) {
    const items = await this.audit.list(p, {
      ...q,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      after: decodeCursor(q.cursor),
    });
    return pageOf(items, q.limit, (e) => ({ at: e.at, id: e.id }));
  }
}
