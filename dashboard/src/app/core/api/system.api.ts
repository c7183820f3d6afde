import { Injectable, inject } from '@angular/core';
import { ApiClient } from './api-client';
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

export interface AuditFilter {
  action?: string;
  actor?: string;
  outcome?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly api = inject(ApiClient);

  health(): Promise<HealthReport> {
    return this.api.get<HealthReport>('/api/health');
  }
  auditLog(filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    return this.api.get<Page<AuditEntry>>('/api/audit-log', { ...filter });
  }
  runPipeline(): Promise<{ runIds: string[] }> {
    return this.api.post<{ runIds: string[] }>('/api/run-pipeline');
  }
  runScheduler(): Promise<{ dispatched: number }> {
    return this.api.post<{ dispatched: number }>('/api/run-scheduler');
  }
}
