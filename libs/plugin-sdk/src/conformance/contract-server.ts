/** A fault the next matching platform call suffers; every contract server implements all of them. */
export type ContractFault =
  /** 429 with the platform's reset headers `resetInMs` from now. */
  | { kind: 'rate_limited'; resetInMs: number }
  /** 5xx with the platform's error body. */
  | { kind: 'server_error' }
  /** The platform's expired-token answer (the refresh token stays valid). */
  | { kind: 'auth_expired' }
  /** The platform's "bad content" answer for the next post (permanent). */
  | { kind: 'rejected' }
  /** Stores the post, then never answers (publisher killed / timed out before the answer). */
  | { kind: 'commit_then_hang' }
  /** Stores the post, then destroys the connection without an answer. */
  | { kind: 'commit_then_drop' };

export type ContractFaultKind = ContractFault['kind'];
export const ALL_FAULTS: readonly ContractFaultKind[] = [
  'rate_limited',
  'server_error',
  'auth_expired',
  'rejected',
  'commit_then_hang',
  'commit_then_drop',
];

/** A post the fake platform holds. */
export interface ContractPost {
  id: string;
  text: string;
  /** The idempotency key / record key the plugin sent, when the platform has one. */
  key?: string;
  mediaCount?: number;
}

/**
 * What `plugins/<id>/contract-server` exports (e.g. `startContractServer(opts)` resolving to this):
 * a real node:http server speaking the platform's API, with knobs for tests.
 */
export interface ContractServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Applies `fault` to the next post-creating call (auth/rate faults: the next authenticated call). */
  failNext(fault: ContractFault): void;
  /** Every post the platform holds, oldest first. */
  posts(): readonly ContractPost[];
  /** Call counters: `refreshes` counts successful token refreshes. */
  stats(): { requests: number; refreshes: number };
  /** Makes every issued access token expired; refresh tokens keep working (no-op for platforms without expiry). */
  expireAccessTokens(): void;
  close(): Promise<void>;
}
