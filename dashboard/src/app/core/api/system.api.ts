import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { toApiError } from './api-error';
import { ApiClient } from './api-client';
import type { QueryOf } from './openapi-types';
import { Page } from './page';

export interface HealthComponent {
  name: string;
  status: 'up' | 'down' | 'degraded';
  detail?: string | null;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  components: HealthComponent[];
}

/** The gateway's aggregated health body (200 when ok, 503 with the same body when degraded). */
export interface GatewayHealth {
  status: 'ok' | 'degraded';
  checks?: Record<string, { ok: boolean; detail?: string; component?: string }>;
  services?: Record<string, { ok: boolean; detail?: string }>;
}

export function toHealthReport(body: GatewayHealth): HealthReport {
  const fromChecks = Object.entries(body.checks ?? {}).map(([name, c]) => ({
    name: c.component && c.component !== name ? `${c.component}: ${name}` : name,
    status: c.ok ? ('up' as const) : ('down' as const),
    detail: c.detail ?? null,
  }));
  const fromServices = Object.entries(body.services ?? {}).map(([name, c]) => ({
    name: `service ${name}`,
    status: c.ok ? ('up' as const) : ('down' as const),
    detail: c.detail ?? null,
  }));
  return { status: body.status === 'ok' ? 'ok' : 'degraded', components: [...fromChecks, ...fromServices] };
}

const isHealthBody = (v: unknown): v is GatewayHealth =>
  typeof v === 'object' && v !== null && ((v as GatewayHealth).status === 'ok' || (v as GatewayHealth).status === 'degraded');

export interface AuditEntry {
  id: string;
  actorId: string;
  actorName?: string | null;
  action: string;
  target: string;
  outcome: 'success' | 'denied' | 'error';
  ip?: string | null;
  at: string;
}

/** `GET /api/audit-log` query parameters (generated); '' means "any outcome" in the page's filter. */
export type AuditQuery = QueryOf<'AuditController_list'>;
export interface AuditFilter extends Omit<AuditQuery, 'outcome'> {
  outcome?: AuditQuery['outcome'] | '';
}

@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly api = inject(ApiClient);
  private readonly http = inject(HttpClient);

  /** A degraded system answers 503 with the health body; that is a report, not a failure. */
  async health(): Promise<HealthReport> {
    try {
      return toHealthReport(await firstValueFrom(this.http.get<GatewayHealth>('/api/health')));
    } catch (err) {
      if (err instanceof HttpErrorResponse && isHealthBody(err.error)) return toHealthReport(err.error);
      throw toApiError(err);
    }
  }
  auditLog(filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    return this.api.get<Page<AuditEntry>>('/api/audit-log', { ...filter });
  }
  /** One scheduler pass now: materialise recurring jobs, claim and fire what is due. */
  runScheduler(): Promise<{ materialized: number; claimed: number }> {
    return this.api.post<{ materialized: number; claimed: number }>('/api/run-scheduler');
  }
}
