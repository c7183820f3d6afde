import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { AppError } from '@sx/service-kit';

export interface SafeFetchOptions {
  /** Hostnames, IPs or CIDRs let through although private (tests, an intranet CDN). */
  allow: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
  /** DNS resolution, replaceable in tests. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface SafeResponse {
  body: Readable;
  finalUrl: string;
  contentType?: string;
  contentLength?: number;
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

const defaultResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Server-side GET that refuses loopback, private, link-local (incl. cloud metadata), CGNAT, multicast and
 * reserved targets — checked on the literal host, after DNS resolution (the socket connects to the
 * address that was checked, so a rebinding DNS cannot swap it), and again on every redirect.
 */
export async function safeFetch(rawUrl: string, opts: SafeFetchOptions): Promise<SafeResponse> {
  const deadline = performance.now() + opts.timeoutMs;
  let url = parseUrl(rawUrl);
  for (let hop = 0; ; hop++) {
    const address = await vetTarget(url, opts);
    const res = await get(url, address, Math.max(1, deadline - performance.now()));
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= (opts.maxRedirects ?? 5)) throw new AppError('too_many_redirects', 'The URL redirects too many times', 422);
      url = parseUrl(new URL(res.headers.location, url).toString());
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new AppError('fetch_failed', `The URL answered HTTP ${status}`, 422, { status });
    }
    const length = Number(res.headers['content-length']);
    if (Number.isFinite(length) && length > opts.maxBytes) {
      res.destroy();
      throw new AppError('file_too_large', `The file is larger than the ${opts.maxBytes}-byte limit`, 413, { maxBytes: opts.maxBytes });
    }
    return { body: res, finalUrl: url.toString(), contentType: res.headers['content-type'], contentLength: length || undefined };
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_url', 'The URL is not valid', 422);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_url', 'Only http and https URLs can be imported', 422);
  }
  if (url.username || url.password) throw new AppError('invalid_url', 'URLs with credentials are not accepted', 422);
  return url;
}

/** Returns the one address to connect to, after checking every address the name resolves to. */
async function vetTarget(url: URL, opts: SafeFetchOptions): Promise<LookupAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const hostAllowed = opts.allow.includes(host.toLowerCase());
  let addresses: LookupAddress[];
  if (ipaddr.isValid(host)) {
    const ip = ipaddr.parse(host);
    addresses = [{ address: ip.toString(), family: ip.kind() === 'ipv6' ? 6 : 4 }];
  } else {
    addresses = await (opts.resolve ?? defaultResolve)(host).catch(() => {
      throw new AppError('fetch_failed', `The host ${host} cannot be resolved`, 422);
    });
  }
  if (!addresses.length) throw new AppError('fetch_failed', `The host ${host} cannot be resolved`, 422);
  for (const a of addresses) {
    if (!hostAllowed && !isPublic(a.address) && !inAllowList(a.address, opts.allow)) {
      throw new AppError('url_blocked', 'The URL points at a private, loopback or link-local address', 422, { host });
    }
  }
  return addresses[0];
}

export function isPublic(address: string): boolean {
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

function inAllowList(address: string, allow: readonly string[]): boolean {
  const ip = ipaddr.process(address);
  return allow.some((entry) => {
    try {
      if (entry.includes('/')) {
        const [net, bits] = ipaddr.parseCIDR(entry);
        return net.kind() === ip.kind() && ip.match([net, bits]);
      }
      return ipaddr.isValid(entry) && ipaddr.process(entry).toString() === ip.toString();
    } catch {
      return false;
    }
  });
}

function get(url: URL, address: LookupAddress, timeoutMs: number): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      {
        // Connect to the vetted address only; SNI and Host still carry the name.
        lookup: ((_host: string, o: { all?: boolean }, cb: LookupCallback) =>
          o.all ? cb(null, [address]) : cb(null, address.address, address.family)) as unknown as http.RequestOptions['lookup'],
        headers: { 'user-agent': 'SchedulerX-media-import/1', accept: '*/*' },
        timeout: timeoutMs,
      },
      resolve,
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('response', (res) => res.on('close', () => clearTimeout(timer)));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(
        e.message === 'timeout'
          ? new AppError('fetch_timeout', 'The URL took too long to answer', 504)
          : new AppError('fetch_failed', 'The URL could not be fetched', 502),
      );
    });
  });
}
