import type { MediaRef, RateLimitObservation, WirePluginError } from '@sx/plugin-sdk';

/** Methods the host may call in a plugin child. */
export type PluginMethod =
  | 'validate'
  | 'publish'
  | 'connect'
  | 'beginOAuth2'
  | 'reconcile'
  | 'refreshCredentials'
  | 'deletePost'
  | 'fetchMetrics'
  | 'fetchProfile';

/** The per-call context sent to the child; credentials travel only here, never in the child's env. */
export interface WireCallContext {
  accountId?: string;
  credentials?: Record<string, unknown>;
  settings: Record<string, unknown>;
  idempotencyKey?: string;
  attempt?: number;
  media?: { ref: MediaRef; path: string }[];
}

export interface InitMessage {
  t: 'init';
  entry: string;
  egressAllow: string[];
  httpTimeoutMs: number;
  manifest: unknown;
}

export interface CallMessage {
  t: 'call';
  id: number;
  method: PluginMethod;
  /** The host clock's now; the child's clock runs from it. */
  nowMs: number;
  ctx: WireCallContext;
  args: unknown[];
}

export type HostToChild = InitMessage | CallMessage;

export interface ReadyMessage {
  t: 'ready';
  problems: string[];
}

export type ResultMessage =
  | { t: 'result'; id: number; ok: true; value: unknown; rateLimit?: RateLimitObservation }
  | { t: 'result'; id: number; ok: false; error: WirePluginError; rateLimit?: RateLimitObservation };

export interface LogMessage {
  t: 'log';
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export type ChildToHost = ReadyMessage | ResultMessage | LogMessage;
