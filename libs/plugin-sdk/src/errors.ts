import type { Violation } from './content';

/** How the host acts on a failure; plugins classify, the host decides retries. */
export type PluginErrorClass = 'retryable' | 'rate_limited' | 'auth_expired' | 'rejected' | 'disconnected' | 'unknown';

export abstract class PluginError extends Error {
  abstract readonly errorClass: PluginErrorClass;
}

/** Temporary failure (5xx, network before sending). The host retries with backoff, honouring retryAfterMs. */
export class RetryableError extends PluginError {
  readonly errorClass = 'retryable' as const;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** The platform said 429 (or equivalent). The host waits until resetAt before the next call on the account. */
export class RateLimitedError extends PluginError {
  readonly errorClass = 'rate_limited' as const;
  constructor(
    message: string,
    readonly resetAt: Date,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** The access token is expired or revoked-but-refreshable. The host refreshes once (single flight) and retries. */
export class AuthExpiredError extends PluginError {
  readonly errorClass = 'auth_expired' as const;
  constructor(message = 'credentials expired') {
    super(message);
    this.name = 'AuthExpiredError';
  }
}

/** Permanent: the content or media was refused (limits, duplicate). Never retried. */
export class RejectedError extends PluginError {
  readonly errorClass = 'rejected' as const;
  constructor(
    message: string,
    readonly violations: Violation[] = [],
  ) {
    super(message);
    this.name = 'RejectedError';
  }
}

/** Permanent for the account: access revoked, account suspended. A person must reconnect it. */
export class DisconnectedError extends PluginError {
  readonly errorClass = 'disconnected' as const;
  constructor(message: string) {
    super(message);
    this.name = 'DisconnectedError';
  }
}

/**
 * The request may or may not have reached the platform (timeout or reset after sending).
 * The host reconciles by idempotency key, or marks the job `unknown`; it never retries blindly.
 */
export class OutcomeUnknownError extends PluginError {
  readonly errorClass = 'unknown' as const;
  constructor(message: string) {
    super(message);
    this.name = 'OutcomeUnknownError';
  }
}

/** What crosses the process boundary between the plugin child and the host. */
export interface WirePluginError {
  errorClass: PluginErrorClass;
  message: string;
  retryAfterMs?: number;
  resetAt?: string;
  violations?: Violation[];
}

const MAX_MESSAGE = 500;

export function toWireError(err: unknown): WirePluginError {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_MESSAGE);
  if (err instanceof RetryableError) return { errorClass: 'retryable', message, retryAfterMs: err.retryAfterMs };
  if (err instanceof RateLimitedError) return { errorClass: 'rate_limited', message, resetAt: err.resetAt.toISOString() };
  if (err instanceof RejectedError) return { errorClass: 'rejected', message, violations: err.violations };
  if (err instanceof PluginError) return { errorClass: err.errorClass, message };
  // An unclassified throw: we cannot know whether the platform acted, so it is treated as unknown.
  return { errorClass: 'unknown', message: `unclassified plugin error: ${message}` };
}

export function fromWireError(w: WirePluginError): PluginError {
  switch (w.errorClass) {
    case 'retryable':
      return new RetryableError(w.message, w.retryAfterMs);
    case 'rate_limited':
      return new RateLimitedError(w.message, new Date(w.resetAt ?? Date.now()));
    case 'auth_expired':
      return new AuthExpiredError(w.message);
    case 'rejected':
      return new RejectedError(w.message, w.violations ?? []);
    case 'disconnected':
      return new DisconnectedError(w.message);
    default:
      return new OutcomeUnknownError(w.message);
  }
}

export function isPluginError(err: unknown): err is PluginError {
  return err instanceof PluginError;
}
