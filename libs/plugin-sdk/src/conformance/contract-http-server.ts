// Minimal HTTP routing + fault injection for plugins' contract servers (local stand-ins for platform APIs).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The handler acted (e.g. stored the post); now never answer, or drop the connection. */
  thenFail?: 'hang' | 'drop';
}

export type Handler = (req: RouteRequest) => RouteResponse | Promise<RouteResponse>;

/** A scripted answer for the next `times` calls of a named route (or '*' for any route). */
export interface Fault {
  route: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
  /** Let this many matching calls through first. */
  after?: number;
  /** Never answer (until the server stops): lets tests exercise client timeouts. */
  hang?: boolean;
  /** Run the real handler (the platform acts), then never answer or drop the connection. */
  commit?: 'hang' | 'drop';
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  name: string;
  handler: Handler;
}

export interface RequestLogEntry {
  route: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

const MAX_BODY = 32 * 1024 * 1024;

export class ContractHttpServer {
  private readonly routes: Route[] = [];
  private faults: Array<Fault & { remaining: number; skip: number }> = [];
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  readonly requests: RequestLogEntry[] = [];
  /** Set by the owning server: applies a conformance-kit fault posted to /__control/fail-next. */
  failNextHandler?: (fault: unknown) => void;

  constructor(private readonly snapshot: () => unknown) {}

  route(method: string, path: string, name: string, handler: Handler): void {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(seg.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, name, handler });
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1, skip: fault.after ?? 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  get requestCount(): number {
    return this.requests.length;
  }

  callsTo(route: string): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => void this.dispatch(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    const addr = server.address() as AddressInfo;
    return `http://${host}:${addr.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://contract.local');
      const body = await readBody(req);
      if (url.pathname.startsWith('/__control/')) return this.control(url.pathname, body, res);
      const method = (req.method ?? 'GET').toUpperCase();
      const match = this.match(method, url.pathname);
      if (!match) return send(res, { status: 404, body: { error: 'NotFound', message: 'no such route' } });
      this.requests.push({ route: match.route.name, method, path: url.pathname, headers: req.headers });
      const fault = this.takeFault(match.route.name);
      if (fault?.hang) return;
      if (fault && !fault.commit) return send(res, { status: fault.status ?? 500, body: fault.body, headers: fault.headers });
      const out = await match.route.handler({
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        params: match.params,
      });
      const after = fault?.commit ?? out.thenFail;
      if (after === 'drop') return void req.socket.destroy();
      if (after === 'hang') return;
      send(res, out);
    } catch (err) {
      if (err instanceof HttpFailure) return send(res, { status: err.status, body: err.payload, headers: err.headers });
      send(res, { status: 500, body: { error: 'InternalServerError' } });
    }
  }

  private control(path: string, body: Buffer, res: http.ServerResponse): void {
    if (path === '/__control/state') return send(res, { status: 200, body: this.snapshot() });
    if (path === '/__control/fail-next' && this.failNextHandler) {
      this.failNextHandler(parseJson(body));
      return send(res, { status: 204 });
    }
    if (path === '/__control/fault') {
      this.injectFault(parseJson(body) as Fault);
      return send(res, { status: 204 });
    }
    send(res, { status: 404, body: { error: 'NotFound' } });
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return undefined;
  }

  private takeFault(route: string): Fault | undefined {
    const idx = this.faults.findIndex((f) => f.route === route || f.route === '*');
    if (idx < 0) return undefined;
    const fault = this.faults[idx];
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(idx, 1);
    return fault;
  }
}

/** Thrown by handlers to answer with a specific status and error body. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

function send(res: http.ServerResponse, out: RouteResponse): void {
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(out.body)) payload = out.body;
  else if (typeof out.body === 'string') payload = Buffer.from(out.body);
  else if (out.body !== undefined) {
    payload = Buffer.from(JSON.stringify(out.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(out.status, headers);
  res.end(payload);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpFailure(413, { error: 'PayloadTooLarge', message: 'request entity too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpFailure(400, { error: 'InvalidRequest', message: 'body is not valid JSON' });
  }
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Parses multipart/form-data (RFC 7578) into its parts. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m) throw new HttpFailure(400, { error: 'InvalidRequest', message: 'multipart boundary missing' });
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const raw = body.subarray(start + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const head = raw.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined) {
        parts.push({
          name,
          filename: /filename="([^"]*)"/i.exec(head)?.[1],
          contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim(),
          data: raw.subarray(headerEnd + 4),
        });
      }
    }
    pos = next;
  }
  return parts;
}

export function bearer(headers: http.IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}
