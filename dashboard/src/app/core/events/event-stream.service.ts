import { Injectable, inject, signal } from '@angular/core';
import type { Envelope } from '@sx/contracts';
import { Observable, Subject, filter } from 'rxjs';
import { AuthStore } from '../auth/auth.store';
import { SseParser } from './sse-parser';
import { apiUrl } from '../api/api-base';

export type DomainEvent = Envelope<Record<string, unknown>>;

export const EVENTS_URL = '/api/events';
const MAX_RECENT = 200;
const MAX_BACKOFF_MS = 15_000;

export function parseDomainEvent(id: string | null, event: string, data: string): DomainEvent | null {
  try {
    const parsed = JSON.parse(data) as Partial<DomainEvent>;
    if (typeof parsed !== 'object' || parsed === null) return null;
    const subject = typeof parsed.subject === 'string' ? parsed.subject : event;
    if (!subject || subject === 'message' || subject === 'heartbeat' || subject === 'closed') return null;
    const payload = (parsed.data ?? {}) as Record<string, unknown>;
    return {
      id: parsed.id ?? id ?? '',
      subject,
      version: parsed.version ?? 1,
      occurredAt: parsed.occurredAt ?? new Date().toISOString(),
      workspaceId: parsed.workspaceId ?? '',
      correlationId: parsed.correlationId ?? '',
      data: payload,
    };
  } catch {
    return null;
  }
}

/**
 * Live domain events over SSE. Uses fetch (not EventSource) so the bearer token travels
 * in a header, never in the URL, and resumes with Last-Event-ID after a drop.
 */
@Injectable({ providedIn: 'root' })
export class EventStream {
  private readonly auth = inject(AuthStore);
  private readonly subject = new Subject<DomainEvent>();
  private abort: AbortController | null = null;
  private lastId: string | null = null;
  private backoff = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  readonly connected = signal(false);
  readonly recent = signal<DomainEvent[]>([]);
  readonly events$: Observable<DomainEvent> = this.subject.asObservable();

  /** Events whose subject starts with `prefix`, plus `resync` (history lost: views must reload). */
  on(prefix: string): Observable<DomainEvent> {
    return this.events$.pipe(filter((e) => e.subject.startsWith(prefix) || e.subject === 'resync'));
  }

  /** Feed an event as if it came over the wire (used by the stream and by tests). */
  emit(event: DomainEvent): void {
    this.recent.update((list) => [event, ...list].slice(0, MAX_RECENT));
    this.subject.next(event);
  }

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    void this.loop(this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connected.set(false);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    try {
      if (this.auth.expired) await this.auth.refresh();
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (this.auth.accessToken) headers['Authorization'] = `Bearer ${this.auth.accessToken}`;
      if (this.lastId) headers['Last-Event-ID'] = this.lastId;
      const res = await fetch(apiUrl(EVENTS_URL), { headers, signal, cache: 'no-store' });
      if (res.status === 401 && !(await this.auth.refresh())) return this.stop();
      if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
      this.connected.set(true);
      this.backoff = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        let closed = false;
        for (const msg of parser.feed(value)) {
          // The server ends the stream when the token expires or is revoked; reconnect (refreshing first).
          if (msg.event === 'closed') closed = true;
          if (msg.id) this.lastId = msg.id;
          const ev = parseDomainEvent(msg.id, msg.event, msg.data);
          if (ev) this.emit(ev);
        }
        if (closed) {
          await reader.cancel();
          this.backoff = 0;
          break;
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    this.connected.set(false);
    if (signal.aborted) return;
    this.retryTimer = setTimeout(() => {
      if (!signal.aborted) void this.loop(signal);
    }, this.backoff);
    this.backoff = Math.min(Math.max(this.backoff * 2, 1000), MAX_BACKOFF_MS);
  }
}
