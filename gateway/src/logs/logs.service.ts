import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { SERVICE_LOGS_COMMANDS, type LogLineView, type LoggedService } from '@sx/contracts';
import { currentCorrelationId, newCorrelationId, processLogRing, type LogLevelName } from '@sx/service-kit';

const SERVICE_TIMEOUT_MS = 1_500;

export interface LogsFilter {
  service?: string;
  correlationId?: string;
  minLevel?: LogLevelName;
  limit: number;
}

/** Per source (a process's ring) the last seq seen: `scheduler:12,publisher:40` or `local:52`. */
export type LogCursor = Record<string, number>;

export interface LogsPage {
  items: (LogLineView & { id: string })[];
  cursor: string;
  /** Sources that did not answer (distributed mode), so the panel can say so. */
  unavailable: string[];
}

export function parseCursor(raw: string | undefined): LogCursor {
  const out: LogCursor = {};
  for (const part of (raw ?? '').split(',')) {
    const [k, v] = part.split(':');
    if (k && /^\d+$/.test(v ?? '')) out[k.slice(0, 32)] = Number(v);
  }
  return out;
}

const formatCursor = (c: LogCursor) => Object.entries(c).map(([k, v]) => `${k}:${v}`).join(',');

/**
 * Recent log lines of the scheduler, publisher and pipeline. Embedded mode: every service logs into
 * this process's ring. Distributed mode: each service answers `cmd.<service>.logs` from its own ring.
 */
@Injectable()
export class LogsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async read(filter: LogsFilter, cursor: LogCursor): Promise<LogsPage> {
    if (this.config.mode !== 'distributed') {
      const items = processLogRing.read({ ...filter, afterSeq: cursor['local'] ?? 0 });
      return {
        items: items.map((l) => ({ ...l, id: `local:${l.seq}` })),
        cursor: formatCursor({ local: items.at(-1)?.seq ?? cursor['local'] ?? processLogRing.lastSeq }),
        unavailable: [],
      };
    }
    return this.readServices(filter, cursor);
  }

  private async readServices(filter: LogsFilter, cursor: LogCursor): Promise<LogsPage> {
    const ctx = { workspaceId: 'system', actorId: 'gateway', role: 'system' as const, correlationId: currentCorrelationId() ?? newCorrelationId() };
    const wanted = (Object.keys(SERVICE_LOGS_COMMANDS) as LoggedService[]).filter((s) => !filter.service || s === filter.service);
    const next: LogCursor = { ...cursor };
    const unavailable: string[] = [];
    const lists = await Promise.all(
      wanted.map(async (service) => {
        const req = { afterSeq: cursor[service], minLevel: filter.minLevel, correlationId: filter.correlationId, limit: filter.limit };
        const reply = await this.bus
          .request(SERVICE_LOGS_COMMANDS[service], req, ctx, { timeoutMs: SERVICE_TIMEOUT_MS })
          .catch(() => ({ ok: false as const }));
        if (!reply.ok) {
          unavailable.push(service);
          return [];
        }
        next[service] = reply.data.items.at(-1)?.seq ?? cursor[service] ?? reply.data.lastSeq;
        return reply.data.items.map((l) => ({ ...l, id: `${service}:${l.seq}` }));
      }),
    );
    const items = lists.flat().sort((a, b) => a.time.localeCompare(b.time)).slice(-filter.limit);
    return { items, cursor: formatCursor(next), unavailable };
  }
}
