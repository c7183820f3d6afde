import * as http from 'node:http';
import * as https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import * as ipaddr from 'ipaddr.js';
import { OutcomeUnknownError, RejectedError, RetryableError } from '../errors';
import { EgressPolicy, stripBrackets } from './ssrf-guard';
import type { HttpClient, HttpClientOptions, HttpMethod, HttpRequest, HttpResponse } from './http-types';

/** Thrown when the SSRF guard refuses a target (permanent: the URL will not become public by retrying). */
export class EgressBlockedError extends RejectedError {
  constructor(target: string, reason: string) {
    super(`egress to ${target} blocked: ${reason}`, [{ rule: 'egress.blocked', message: reason, field: 'url' }]);
    this.name = 'EgressBlockedError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The one way plugins reach the network: timeouts, size cap and the SSRF guard on every hop. */
export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  return new SafeHttpClient(opts);
}

class SafeHttpClient implements HttpClient {
  private readonly policy: EgressPolicy;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly resolve: (host: string) => Promise<string[]>;

  constructor(private readonly opts: HttpClientOptions) {
    this.policy = new EgressPolicy(opts.allow ?? []);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxBytes = opts.maxResponseBytes ?? 10 * 1024 * 1024;
    this.resolve = opts.resolve ?? (async (h) => (await dnsLookup(h, { all: true })).map((a) => a.address));
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    let url = parseUrl(req.url);
    let method: HttpMethod = req.method ?? (req.json !== undefined || req.body !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = lowerKeys(req.headers ?? {});
    let body: Buffer | undefined;
    if (req.json !== undefined) {
      body = Buffer.from(JSON.stringify(req.json));
      headers['content-type'] ??= 'application/json';
    } else if (req.body !== undefined) body = Buffer.from(req.body);
    if (this.opts.userAgent) headers['user-agent'] ??= this.opts.userAgent;
    const maxRedirects = req.maxRedirects ?? 3;
    for (let hop = 0; ; hop++) {
      const res = await this.once(url, method, headers, body, req.timeoutMs ?? this.timeoutMs);
      const location = res.headers['location'];
      if (!REDIRECTS.has(res.status) || !location) {
        this.opts.onResponse?.(res);
        return res;
      }
      if (hop >= maxRedirects) throw new RejectedError(`too many redirects (more than ${maxRedirects})`);
      const next = parseUrl(new URL(location, url).toString());
      if (next.origin !== url.origin) {
        delete headers['authorization'];
        delete headers['cookie'];
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      url = next;
    }
  }

  async checkUrl(raw: string): Promise<void> {
    const url = parseUrl(raw);
    const host = stripBrackets(url.hostname);
    if (ipaddr.isValid(host)) {
      const reason = this.policy.blockReason(host, host);
      if (reason) throw new EgressBlockedError(url.host, reason);
      return;
    }
    if (this.policy.isHostAllowlisted(host)) return;
    if (host === 'localhost' || host.endsWith('.localhost')) throw new EgressBlockedError(url.host, 'loopback host names are not allowed');
    try {
      await this.resolveChecked(host);
    } catch (e) {
      if (e instanceof EgressBlockedError) throw e;
    }
  }

  private once(
    url: URL,
    method: HttpMethod,
    headers: Record<string, string>,
    body: Buffer | undefined,
    timeoutMs: number,
  ): Promise<HttpResponse> {
    const host = stripBrackets(url.hostname);
    if (ipaddr.isValid(host)) {
      const reason = this.policy.blockReason(host, host);
      if (reason) return Promise.reject(new EgressBlockedError(url.host, reason));
    }
    const lookup = (hostname: string, options: { all?: boolean }, cb: LookupCallback): void => {
      this.resolveChecked(hostname).then(
        (addrs) => {
          const entries = addrs.map((a) => ({ address: a, family: a.includes(':') ? 6 : 4 }));
          if (options.all) cb(null, entries);
          else cb(null, entries[0].address, entries[0].family);
        },
        (err: NodeJS.ErrnoException) => cb(err, ''),
      );
    };
    const transport = url.protocol === 'https:' ? https : http;
    const outHeaders = { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    return new Promise<HttpResponse>((resolve, reject) => {
      let sent = false;
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(this.classify(err, method, sent, url));
      };
      const req = transport.request(url, { method, headers: outHeaders, lookup: lookup as never }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBytes) {
            res.destroy();
            fail(new Error(`response larger than ${this.maxBytes} bytes`));
          } else chunks.push(c);
        });
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(buildResponse(res, Buffer.concat(chunks), url.toString()));
        });
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('finish', () => (sent = true));
      req.on('error', fail);
      req.end(body);
    });
  }

  private async resolveChecked(hostname: string): Promise<string[]> {
    const addrs = await this.resolve(hostname);
    if (!addrs.length) throw Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
    for (const a of addrs) {
      const reason = this.policy.blockReason(a, hostname);
      if (reason) throw new EgressBlockedError(hostname, `${a}: ${reason}`);
    }
    return addrs;
  }

  private classify(err: Error, method: HttpMethod, sent: boolean, url: URL): Error {
    if (err instanceof EgressBlockedError) return err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // Origin only: paths and queries can hold secrets (webhook URLs, signed links) and errors get logged.
    const what = `${method} ${url.origin}: ${err.message}`;
    if (CONNECT_ERRORS.has(code) || !sent || IDEMPOTENT.has(method)) return new RetryableError(what);
    // The request left this process: the platform may have acted on it.
    return new OutcomeUnknownError(what);
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RejectedError(`invalid URL`, [{ rule: 'url.invalid', message: 'not a valid absolute URL', field: 'url' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RejectedError(`unsupported protocol ${url.protocol}`, [
      { rule: 'url.protocol', message: 'only http and https are allowed', field: 'url' },
    ]);
  }
  if (url.username || url.password) {
    throw new RejectedError('URLs with embedded credentials are not allowed', [
      { rule: 'url.userinfo', message: 'remove user:password@ from the URL', field: 'url' },
    ]);
  }
  return url;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function buildResponse(res: http.IncomingMessage, body: Buffer, url: string): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return {
    status: res.statusCode ?? 0,
    headers,
    body,
    url,
    text: () => body.toString('utf8'),
    json: <T>() => {
      if (!body.length) return undefined;
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        return undefined;
      }
    },
  };
}
