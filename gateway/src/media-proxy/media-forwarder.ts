import * as http from 'node:http';
import * as https from 'node:https';
import type { Request, Response } from 'express';
import { AppError } from '@sx/service-kit';
import { PRINCIPAL_REQUEST_KEY, type RequestWithPrincipal } from '../auth/current-principal.decorator';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './media-proxy.headers';

export interface MediaForwarderOptions {
  /** Base URL of the media service (SX_MEDIA_URL); undefined = not configured (503). */
  mediaUrl?: string;
  /** How long connecting to media may take before the caller gets a 503. */
  connectTimeoutMs: number;
  /** Longest silence on an open exchange (uploads stream for long; media may probe a big file). */
  idleTimeoutMs: number;
}

const unavailable = (reason: string) =>
  new AppError('service_unavailable', 'The media service is unavailable', 503, { service: 'media', reason });

/**
 * Streams one request to media and its answer back, both ways without buffering (uploads can be GBs;
 * Range, 206 and 304 pass through untouched). Resolves when the response is complete; rejects with a
 * coded AppError when nothing has been sent to the client yet (503 naming media when it is down).
 */
export class MediaForwarder {
  private readonly base?: URL;

  constructor(private readonly opts: MediaForwarderOptions) {
    this.base = opts.mediaUrl ? new URL(opts.mediaUrl) : undefined;
  }

  forward(req: Request & RequestWithPrincipal, res: Response): Promise<void> {
    const base = this.base;
    if (!base) return Promise.reject(unavailable('SX_MEDIA_URL is not set'));
    const headers = upstreamRequestHeaders(req.headers, {
      principal: req[PRINCIPAL_REQUEST_KEY],
      correlationId: String(res.getHeader('x-correlation-id') ?? '') || undefined,
      clientIp: req.ip,
      proto: req.protocol,
      host: req.get('host'),
    });
    // A body the JSON parser already consumed is sent again as JSON; anything else streams through.
    const parsed = (req as { _body?: boolean })._body === true ? Buffer.from(JSON.stringify(req.body ?? null)) : undefined;
    if (parsed) headers['content-length'] = String(parsed.length);
    const client = base.protocol === 'https:' ? https : http;
    const prefix = base.pathname.replace(/\/+$/, '');
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: AppError) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      const upstream = client.request({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port || undefined,
        method: req.method,
        // originalUrl is always origin-form ("/media/…?…"); concatenated, it cannot change the host.
        path: `${prefix}${req.originalUrl}`,
        headers,
      });
      upstream.setTimeout(this.opts.connectTimeoutMs);
      upstream.on('socket', (socket) => {
        if (!socket.connecting) upstream.setTimeout(this.opts.idleTimeoutMs);
        else socket.once('connect', () => upstream.setTimeout(this.opts.idleTimeoutMs));
      });
      upstream.on('timeout', () => upstream.destroy(new Error('media timed out')));
      upstream.on('error', (err: Error) => {
        if (!res.headersSent) return done(unavailable(err.message === 'media timed out' ? 'timeout' : 'unreachable'));
        res.destroy();
        done();
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, downstreamResponseHeaders(answer.headers, base.origin));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        res.on('finish', () => done());
      });
      // The client went away mid-exchange: stop the upstream side too.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
        done();
      });
      if (parsed) upstream.end(parsed);
      else req.pipe(upstream);
    });
  }
}
