export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpRequest {
  method?: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** Raw body; `json` sets body + content-type for you. */
  body?: string | Uint8Array;
  json?: unknown;
  /** Per-request override of the client's timeout. */
  timeoutMs?: number;
  /** Default 3; every hop is checked by the SSRF guard again. */
  maxRedirects?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Final URL after redirects. */
  url: string;
  text(): string;
  /** Parses the body as JSON; undefined when it is empty or not JSON. */
  json<T = unknown>(): T | undefined;
}

/** Rate-limit information seen in a response; the host corrects its per-account token bucket with it. */
export interface RateLimitObservation {
  limit?: number;
  remaining?: number;
  resetAt?: string;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /**
   * The SSRF guard without a request, for URLs a user hands in (webhook receivers at connect time):
   * rejects (EgressBlockedError / RejectedError) a non-http(s) or credentialed URL and a host that is,
   * or resolves to, a loopback, private, link-local or otherwise non-public address, unless allowlisted.
   * A name that does not resolve (yet) passes: every request re-checks each hop anyway.
   */
  checkUrl(url: string): Promise<void>;
}

export interface HttpClientOptions {
  /** Default 15 s. */
  timeoutMs?: number;
  /** Default 10 MiB: larger responses are cut off with an error. */
  maxResponseBytes?: number;
  /**
   * Targets allowed even though private/loopback: host names (`localhost`), IPs (`127.0.0.1`)
   * or CIDRs (`127.0.0.0/8`). Empty in production; tests allow their contract servers.
   */
  allow?: readonly string[];
  /** Injectable DNS resolution (tests); defaults to node's dns.lookup with all addresses. */
  resolve?: (host: string) => Promise<string[]>;
  userAgent?: string;
  onResponse?: (res: HttpResponse) => void;
}
