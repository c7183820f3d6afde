import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Subscription as RxSubscription } from 'rxjs';
import type { Envelope } from '@sx/contracts';
import { EVENT_BUS, type EventBus, type Subscription } from '@sx/bus';
import { Gauge, type Registry } from 'prom-client';
import { AppError, CLOCK, type Clock, HealthRegistry, METRICS } from '@sx/service-kit';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import type { Principal } from '../auth/principal';
import { SessionEvents } from '../auth/session-events.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { GATEWAY_LOGGER, loggableError } from '../http/gateway-logger';
import { SseStream } from './sse-stream';

/** Domain subjects the dashboard sees. `dispatch.>` is internal plumbing and never streamed. */
export const STREAMED_SUBJECTS = ['media.>', 'pipeline.>', 'post.>', 'plugin.>', 'alert.>', 'audit.>'];
export const RING_CAPACITY = 1000;
export const MAX_STREAMS_PER_CALLER = 5;
export const HEARTBEAT_MS = 15_000;

/**
 * Fans the bus's live tail out to SSE streams. Keeps the last RING_CAPACITY events so a client
 * reconnecting with Last-Event-ID gets what it missed (or a `resync` when that is too old).
 * `tick()` (every HEARTBEAT_MS) sends heartbeats and closes streams whose credential expired or
 * was revoked on another replica; revocations on this replica close streams at once.
 */
@Injectable()
export class EventHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly ring: Envelope[] = [];
  private readonly streams = new Set<SseStream>();
  private readonly tails: Subscription[] = [];
  private revocations?: RxSubscription;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    private readonly sessions: SessionsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly sessionEvents: SessionEvents,
    private readonly health: HealthRegistry,
    @Inject(METRICS) metrics: Registry,
  ) {
    if (!metrics.getSingleMetric('sx_gateway_sse_streams')) {
      const streams = this.streams;
      new Gauge({ name: 'sx_gateway_sse_streams', help: 'Open SSE streams', registers: [metrics], collect() { this.set(streams.size); } });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const pattern of STREAMED_SUBJECTS) {
      this.tails.push(await this.bus.tail(pattern, (env) => this.publish(env)));
    }
    this.revocations = this.sessionEvents.revocations.subscribe((r) => {
      for (const s of this.streams) if (s.credentialId === r.id) s.end('revoked');
    });
    this.timer = setInterval(() => void this.tick().catch((e) => this.logger.warn({ err: loggableError(e) }, 'sse tick failed')), HEARTBEAT_MS);
    this.timer.unref();
    this.health.register('gateway-sse', 'gateway', async () => ({
      ok: this.tails.length === STREAMED_SUBJECTS.length,
      detail: `${this.streams.size} open streams`,
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.revocations?.unsubscribe();
    for (const s of [...this.streams]) s.end('shutdown');
    // The bus may already be closed by its own shutdown hook; a failed unsubscribe changes nothing then.
    await Promise.all(this.tails.splice(0).map((t) => t.unsubscribe().catch(() => undefined)));
  }

  get openStreams(): number {
    return this.streams.size;
  }

  publish(env: Envelope): void {
    this.ring.push(env);
    if (this.ring.length > RING_CAPACITY) this.ring.shift();
    for (const s of this.streams) if (s.accepts(env)) s.send(env);
  }

  open(principal: Principal, credentialId: string, expiresAt: Date, lastEventId: string | undefined, res: Response): SseStream {
    if (expiresAt.getTime() <= this.clock.nowMs()) throw new AppError('invalid_token', 'The access token is not valid', 401);
    const mine = [...this.streams].filter((s) => s.principal.kind === principal.kind && s.principal.userId === principal.userId);
    if (mine.length >= MAX_STREAMS_PER_CALLER) {
      throw new AppError('too_many_streams', `At most ${MAX_STREAMS_PER_CALLER} event streams per caller`, 429, {
        max: MAX_STREAMS_PER_CALLER,
      });
    }
    const stream = new SseStream(principal, credentialId, expiresAt, res, (s) => this.streams.delete(s));
    stream.open();
    if (lastEventId !== undefined) {
      const idx = this.ring.findIndex((e) => e.id === lastEventId);
      if (idx === -1) stream.resync(lastEventId);
      else for (const env of this.ring.slice(idx + 1)) if (stream.accepts(env)) stream.send(env);
    }
    this.streams.add(stream);
    return stream;
  }

  /** Heartbeats, expiry and cross-replica revocation. Public so tests drive it with a fake clock. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    const live = [...this.streams];
    for (const s of live) if (s.expiresAt <= now) s.end('token_expired');
    const open = live.filter((s) => !s.isClosed);
    const userCreds = open.filter((s) => s.principal.kind === 'user').map((s) => s.credentialId);
    const keyCreds = open.filter((s) => s.principal.kind === 'api-key').map((s) => s.credentialId);
    const dead = new Set([
      ...(await this.sessions.deadSessions([...new Set(userCreds)], now)),
      ...(await this.apiKeys.deadKeys([...new Set(keyCreds)], now)),
    ]);
    for (const s of open) {
      if (dead.has(s.credentialId)) s.end('revoked');
      else s.heartbeat();
    }
  }
}
