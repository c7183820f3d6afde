import type { Capability, PluginManifest } from './manifest';
import type { MediaRef, PostContent, PublishPost, PublishResult, ValidationResult } from './content';
import type { BaseContext, Credentials, PluginContext, Settings } from './context';

/** Outcome of looking a post up by the job's idempotency key after an ambiguous attempt. */
export type ReconcileResult =
  | { status: 'found'; platformPostId: string; url: string; publishedAt?: string }
  | { status: 'not_found' }
  | { status: 'unknown'; reason: string };

export interface RefreshResult<C extends Credentials = Credentials> {
  /** The full new credential set (rotated refresh tokens included); the host persists it before any other call. */
  credentials: C;
  expiresAt?: string;
}

export interface AccountProfile {
  externalId: string;
  handle: string;
  displayName?: string;
  url?: string;
  avatarUrl?: string;
}

export interface PostMetrics {
  likes?: number;
  reposts?: number;
  replies?: number;
  views?: number;
  [metric: string]: number | undefined;
}

export interface PostRef {
  platformPostId: string;
  url?: string;
}

/** OAuth2 (authorization code + PKCE): step 1 builds the authorize URL. */
export interface OAuth2BeginInput {
  redirectUri: string;
  state: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}
export interface OAuth2BeginResult {
  authorizeUrl: string;
  /** Non-secret-to-the-user data the host keeps with the state until the callback (e.g. a per-instance client id). */
  pending?: Record<string, unknown>;
}

/** What a person submits to connect an account, by auth kind. */
export type ConnectInput =
  | { kind: 'oauth2_code'; code: string; codeVerifier: string; redirectUri: string; pending?: Record<string, unknown> }
  | { kind: 'app_password'; identifier: string; password: string }
  | { kind: 'bot_token'; token: string }
  | { kind: 'webhook_url'; url: string; secret?: string }
  | { kind: 'none' };

export interface ConnectResult<C extends Credentials = Credentials> {
  credentials: C;
  profile: AccountProfile;
  expiresAt?: string;
}

/** Required members of every plugin. */
export interface PluginCore<C extends Credentials = Credentials, S extends Settings = Settings> {
  /** Optional here: the host reads the manifest from package.json; tests may pass it inline. */
  manifest?: PluginManifest;
  /** Pure and synchronous-safe: no platform call. Lists every violated rule. */
  validate(post: PostContent, media: readonly MediaRef[]): ValidationResult | Promise<ValidationResult>;
  publish(ctx: PluginContext<C, S>, post: PublishPost): Promise<PublishResult>;
  /** Turns what a person submitted into credentials + profile (checks them against the platform). */
  connect(ctx: BaseContext<S>, input: ConnectInput): Promise<ConnectResult<C>>;
}

/** Optional capabilities; each must be implemented exactly when the manifest declares it. */
export interface PluginCapabilities<C extends Credentials = Credentials, S extends Settings = Settings> {
  /** `reconcile`: find the post made with ctx.idempotencyKey. */
  reconcile?(ctx: PluginContext<C, S>, post: PublishPost): Promise<ReconcileResult>;
  /** `refresh`: exchange the refresh token; must return the complete new credentials. */
  refreshCredentials?(ctx: PluginContext<C, S>): Promise<RefreshResult<C>>;
  /** `delete` */
  deletePost?(ctx: PluginContext<C, S>, ref: PostRef): Promise<void>;
  /** `metrics` */
  fetchMetrics?(ctx: PluginContext<C, S>, ref: PostRef): Promise<PostMetrics>;
  /** `profile`: the connected account as the platform shows it now (also a token health probe). */
  fetchProfile?(ctx: PluginContext<C, S>): Promise<AccountProfile>;
  /** Required when auth.kind is `oauth2_pkce`. */
  beginOAuth2?(ctx: BaseContext<S>, input: OAuth2BeginInput): Promise<OAuth2BeginResult>;
}

export type PluginDefinition<C extends Credentials = Credentials, S extends Settings = Settings> = PluginCore<C, S> &
  PluginCapabilities<C, S>;

/** Types a plugin object; the host reads the manifest from package.json. */
export function definePlugin<C extends Credentials = Credentials, S extends Settings = Settings>(
  plugin: PluginDefinition<C, S>,
): PluginDefinition<C, S> {
  return plugin;
}

const CAPABILITY_METHODS: Partial<Record<Capability, keyof PluginCapabilities>> = {
  reconcile: 'reconcile',
  refresh: 'refreshCredentials',
  delete: 'deletePost',
  metrics: 'fetchMetrics',
  profile: 'fetchProfile',
};

/**
 * Checks that the implementation matches the manifest: required members exist, every declared
 * capability is implemented and nothing undeclared is. Returns the problems (empty when consistent).
 */
export function checkPluginShape(plugin: unknown, manifest: PluginManifest): string[] {
  const problems: string[] = [];
  if (!plugin || typeof plugin !== 'object') return ['the entry does not default-export a plugin object'];
  const obj = plugin as Record<string, unknown>;
  for (const m of ['validate', 'publish', 'connect']) {
    if (typeof obj[m] !== 'function') problems.push(`${m}: required function is missing`);
  }
  for (const [cap, method] of Object.entries(CAPABILITY_METHODS) as [Capability, string][]) {
    const declared = manifest.capabilities.includes(cap);
    const present = typeof obj[method] === 'function';
    if (declared && !present) problems.push(`${method}: capability "${cap}" is declared but not implemented`);
    if (!declared && present) problems.push(`${method}: implemented but capability "${cap}" is not declared`);
  }
  const needsOAuth = manifest.auth.kind === 'oauth2_pkce';
  if (needsOAuth && typeof obj['beginOAuth2'] !== 'function') problems.push('beginOAuth2: required for oauth2_pkce');
  if (!needsOAuth && typeof obj['beginOAuth2'] === 'function') problems.push('beginOAuth2: only for oauth2_pkce');
  return problems;
}
