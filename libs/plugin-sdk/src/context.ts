import type { MediaAccess } from './content';
import type { HttpClient } from './http/http-types';

export type Credentials = Record<string, unknown>;
export type Settings = Record<string, unknown>;

/** Structured logger; never pass credentials to it. */
export interface PluginLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The host's clock: plugins never read Date.now() for decisions. */
export interface PluginClock {
  now(): Date;
  nowMs(): number;
}

/** Everything but an account: used while connecting an account. */
export interface BaseContext<S extends Settings = Settings> {
  /** Account settings, already checked against the manifest's settingsSchema. */
  settings: S;
  http: HttpClient;
  logger: PluginLogger;
  clock: PluginClock;
}

/** Passed to every call on a connected account; credentials come per call and are never stored by the plugin. */
export interface PluginContext<C extends Credentials = Credentials, S extends Settings = Settings> extends BaseContext<S> {
  accountId: string;
  credentials: C;
  /** Stable for every attempt of one job: send it as the platform's idempotency key where there is one. */
  idempotencyKey: string;
  /** 1 on the first attempt. */
  attempt: number;
  media: MediaAccess;
}
