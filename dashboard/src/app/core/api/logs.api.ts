import { Injectable, inject } from '@angular/core';
import type { LogLineView } from '@sx/contracts';
import { AuthStore } from '../auth/auth.store';
import { SseParser } from '../events/sse-parser';
import { ApiClient } from './api-client';
import { apiUrl } from './api-base';

export type LogLine = LogLineView & { id: string };
export type LogLevel = LogLine['level'];

export interface LogsFilter {
  service?: string;
  level?: LogLevel | '';
  correlationId?: string;
}

export interface LogsBatch {
  items: LogLine[];
  unavailable: string[];
}

const query = (f: LogsFilter, extra: Record<string, string> = {}) => {
  const p = new URLSearchParams(extra);
  if (f.service) p.set('service', f.service);
  if (f.level) p.set('level', f.level);
  if (f.correlationId?.trim()) p.set('correlationId', f.correlationId.trim());
  return p;
};

/** GET /api/logs and the live GET /api/logs/stream (fetch-based SSE so the token stays in a header). */
@Injectable({ providedIn: 'root' })
export class LogsApi {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthStore);

  page(f: LogsFilter): Promise<LogsBatch & { cursor: string }> {
    return this.api.get('/api/logs', Object.fromEntries(query(f)));
  }

  /** Streams batches until `signal` aborts; resolves when the server ends the stream. */
  async stream(f: LogsFilter, signal: AbortSignal, onBatch: (b: LogsBatch) => void): Promise<void> {
    if (this.auth.expired) await this.auth.refresh();
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.auth.accessToken) headers['Authorization'] = `Bearer ${this.auth.accessToken}`;
    const res = await fetch(apiUrl(`/api/logs/stream?${query(f, { limit: '200' })}`), { headers, signal, cache: 'no-store' });
    if (res.status === 401 && (await this.auth.refresh())) return this.stream(f, signal, onBatch);
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `The log stream answered HTTP ${res.status}`);
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const msg of parser.feed(value)) {
        if (msg.event === 'closed') return void (await reader.cancel());
        if (msg.event !== 'log') continue;
        try {
          onBatch(JSON.parse(msg.data) as LogsBatch);
        } catch {
          // a malformed frame is skipped; the next one carries on
        }
      }
    }
  }
}
