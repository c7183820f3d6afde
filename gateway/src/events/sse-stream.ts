import type { Response } from 'express';
import type { Envelope } from '@sx/contracts';
import type { Principal } from '../auth/principal';

/** Subjects only admins see on the stream; everything else goes to every role of the workspace. */
const ADMIN_ONLY_PREFIXES = ['audit.'];

/** One open SSE connection of one caller. Writes are plain `text/event-stream` frames. */
export class SseStream {
  private closed = false;

  constructor(
    readonly principal: Principal,
    /** Session id (users) or key id (API keys): a revocation of it closes the stream. */
    readonly credentialId: string,
    readonly expiresAt: Date,
    private readonly res: Response,
    private readonly onClose: (s: SseStream) => void,
  ) {
    res.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Workspace first, then role: an event of another workspace never reaches this stream. */
  accepts(env: Envelope): boolean {
    if (env.workspaceId !== this.principal.workspaceId) return false;
    if (this.principal.role !== 'admin' && ADMIN_ONLY_PREFIXES.some((p) => env.subject.startsWith(p))) return false;
    return true;
  }

  open(): void {
    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    this.res.setHeader('Connection', 'keep-alive');
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    this.write(`retry: 5000\n: connected\n\n`);
  }

  send(env: Envelope): void {
    const payload = {
      id: env.id,
      subject: env.subject,
      version: env.version,
      occurredAt: env.occurredAt,
      workspaceId: env.workspaceId,
      correlationId: env.correlationId,
      data: env.data,
    };
    this.write(`id: ${env.id}\nevent: ${env.subject}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  /** Sent when Last-Event-ID is older than the buffer: the client must reload its views. */
  resync(lastEventId: string): void {
    this.write(`event: resync\ndata: ${JSON.stringify({ reason: 'history_unavailable', lastEventId })}\n\n`);
  }

  heartbeat(): void {
    this.write(`: heartbeat\n\n`);
  }

  /** Ends the stream, telling the client why (token_expired, revoked, shutdown). */
  end(reason: string): void {
    if (this.closed) return;
    this.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.res.end();
    this.close();
  }

  private write(frame: string): void {
    if (!this.closed && !this.res.writableEnded) this.res.write(frame);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}
