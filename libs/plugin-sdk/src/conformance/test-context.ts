import type { MediaRef } from '../content';
import type { BaseContext, Credentials, PluginClock, PluginContext, PluginLogger, Settings } from '../context';
import { createHttpClient } from '../http/http-client';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-types';
import { inMemoryMedia } from '../media-access';

export const systemPluginClock: PluginClock = { now: () => new Date(), nowMs: () => Date.now() };

/** A logger that keeps lines in memory so tests can assert nothing secret was logged. */
export class MemoryPluginLogger implements PluginLogger {
  readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', msg, fields });
  }
}

/** Wraps an HttpClient and records every request (the kit checks plugins use ctx.http). */
export class RecordingHttpClient implements HttpClient {
  readonly requests: HttpRequest[] = [];
  constructor(private readonly inner: HttpClient) {}
  request(req: HttpRequest): Promise<HttpResponse> {
    this.requests.push(req);
    return this.inner.request(req);
  }
  checkUrl(url: string): Promise<void> {
    return this.inner.checkUrl(url);
  }
}

export interface TestContextOptions<C extends Credentials, S extends Settings> {
  credentials: C;
  settings: S;
  accountId?: string;
  idempotencyKey?: string;
  attempt?: number;
  media?: { ref: MediaRef; bytes: Uint8Array }[];
  /** SSRF allowlist; defaults to loopback so contract servers are reachable. */
  allow?: string[];
  timeoutMs?: number;
  clock?: PluginClock;
}

export function createTestContext<C extends Credentials, S extends Settings>(
  o: TestContextOptions<C, S>,
): PluginContext<C, S> & { http: RecordingHttpClient; logger: MemoryPluginLogger } {
  return {
    ...createTestBaseContext(o.settings, o),
    accountId: o.accountId ?? 'acct-test',
    credentials: o.credentials,
    idempotencyKey: o.idempotencyKey ?? `idem-${Math.random().toString(36).slice(2)}`,
    attempt: o.attempt ?? 1,
    media: inMemoryMedia(o.media ?? []),
  };
}

export function createTestBaseContext<S extends Settings>(
  settings: S,
  o: { allow?: string[]; timeoutMs?: number; clock?: PluginClock } = {},
): BaseContext<S> & { http: RecordingHttpClient; logger: MemoryPluginLogger } {
  return {
    settings,
    http: new RecordingHttpClient(
      createHttpClient({ allow: o.allow ?? ['127.0.0.0/8', '::1', 'localhost'], timeoutMs: o.timeoutMs ?? 5_000 }),
    ),
    logger: new MemoryPluginLogger(),
    clock: o.clock ?? systemPluginClock,
  };
}
