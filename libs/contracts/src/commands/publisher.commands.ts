import { z } from 'zod';
import { defineCommand } from '../define';
import { idSchema, instantSchema } from '../common';

/** One plugin found in the plugins directory, loaded or not (the reason says why not). */
export const pluginInfoSchema = z.object({
  id: z.string(),
  folder: z.string(),
  status: z.enum(['ready', 'failed', 'quarantined']),
  reason: z.string().optional(),
  name: z.string().optional(),
  version: z.string().optional(),
  platform: z.string().optional(),
  authKind: z.string().optional(),
  capabilities: z.array(z.string()).default([]),
  /** Text/media/rate limits and JSON schemas from the manifest (the dashboard renders forms from them). */
  manifest: z.record(z.string(), z.unknown()).optional(),
});
export type PluginInfo = z.infer<typeof pluginInfoSchema>;

export const accountStatusSchema = z.enum(['active', 'needs_reconnect', 'disconnected']);

/** An account as the API shows it: never any credential. */
export const accountSchema = z.object({
  id: idSchema,
  pluginId: z.string(),
  platform: z.string(),
  handle: z.string(),
  displayName: z.string().optional(),
  url: z.string().optional(),
  externalId: z.string(),
  status: accountStatusSchema,
  settings: z.record(z.string(), z.unknown()),
  expiresAt: instantSchema.optional(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Account = z.infer<typeof accountSchema>;

const settingsSchema = z.record(z.string(), z.unknown()).default({});

/** What a person submits to connect an account, by the plugin's auth kind. */
export const connectInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('oauth2_pkce'), redirectUri: z.url({ protocol: /^https?$/ }).max(2048) }),
  z.object({ kind: z.literal('app_password'), identifier: z.string().min(1).max(256), password: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('bot_token'), token: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('webhook_url'),
    url: z.url({ protocol: /^https?$/ }).max(2048),
    secret: z.string().min(16).max(512).optional(),
  }),
  z.object({ kind: z.literal('none') }),
]);
export type ConnectInputDto = z.infer<typeof connectInputSchema>;

export const PublisherPluginsList = defineCommand(
  'publisher',
  'plugins-list',
  z.object({}),
  z.object({ items: z.array(pluginInfoSchema) }),
);

export const PublisherAccountsList = defineCommand(
  'publisher',
  'accounts-list',
  z.object({ pluginId: z.string().max(32).optional() }),
  z.object({ items: z.array(accountSchema) }),
);

export const PublisherAccountsConnect = defineCommand(
  'publisher',
  'accounts-connect',
  z.object({ pluginId: z.string().min(1).max(32), settings: settingsSchema, input: connectInputSchema }),
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('connected'), account: accountSchema }),
    z.object({ status: z.literal('redirect'), authorizeUrl: z.url(), state: z.string(), expiresAt: instantSchema }),
  ]),
);

/** OAuth2 redirect target: the platform sends the person back with `code` and `state` (or `error`). */
export const PublisherAccountsCallback = defineCommand(
  'publisher',
  'accounts-callback',
  z.object({
    state: z.string().min(16).max(128),
    code: z.string().min(1).max(2048).optional(),
    error: z.string().max(256).optional(),
  }),
  z.object({ account: accountSchema }),
);

export const PublisherAccountsDisconnect = defineCommand(
  'publisher',
  'accounts-disconnect',
  z.object({ accountId: idSchema }),
  z.object({ account: accountSchema }),
);

/** Edit an account (PATCH semantics): `displayName` (null clears it), `settings` (replaced whole, checked against the plugin's settings schema). */
export const PublisherAccountsUpdate = defineCommand(
  'publisher',
  'accounts-update',
  z.object({ accountId: idSchema, displayName: z.string().max(200).nullable().optional(), settings: z.record(z.string(), z.unknown()).optional() }),
  z.object({ account: accountSchema }),
);

export const PublisherAccountsProfile = defineCommand(
  'publisher',
  'accounts-profile',
  z.object({ accountId: idSchema }),
  z.object({
    accountId: idSchema,
    externalId: z.string(),
    handle: z.string(),
    displayName: z.string().optional(),
    url: z.string().optional(),
    avatarUrl: z.string().optional(),
    fetchedAt: instantSchema,
  }),
);

export const PublisherAccountsHealth = defineCommand(
  'publisher',
  'accounts-health',
  z.object({ accountId: idSchema }),
  z.object({
    accountId: idSchema,
    status: z.enum(['ok', 'expiring', 'expired', 'needs_reconnect', 'disconnected', 'plugin_unavailable', 'unreachable']),
    expiresAt: instantSchema.optional(),
    detail: z.string().optional(),
    checkedAt: instantSchema,
    /** The account's publish budget: the tightest manifest bucket, corrected by what the platform's headers said. */
    rateLimit: z
      .object({
        remaining: z.number().int().nonnegative(),
        capacity: z.number().int().positive(),
        resetsAt: instantSchema.nullable(),
        source: z.enum(['manifest', 'headers']),
      })
      .optional(),
  }),
);

/** Admin: re-encrypts every stored credential with the active key (after adding a key to SX_CREDENTIAL_KEYS). */
export const PublisherCredentialsRotate = defineCommand(
  'publisher',
  'credentials-rotate',
  z.object({}),
  z.object({ rotated: z.number().int().nonnegative(), keyId: z.string() }),
);

/** One violated pre-flight rule: `rule` is a stable machine-readable code (e.g. `text.max_length`, `account.not_connected`). */
export const preflightViolationSchema = z.object({
  rule: z.string(),
  message: z.string(),
  field: z.string().optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  actual: z.union([z.number(), z.string()]).optional(),
});
export type PreflightViolation = z.infer<typeof preflightViolationSchema>;

/** A calendar-day (or longer) publish cap the plugin's manifest declares for an account. */
export const preflightCapSchema = z.object({ name: z.string(), limit: z.number().int().positive(), windowS: z.number().int().positive(), resetZone: z.string().optional() });

export const preflightTargetResultSchema = z.object({
  accountId: z.string(),
  platform: z.string().nullable(),
  pluginId: z.string().nullable(),
  ok: z.boolean(),
  violations: z.array(preflightViolationSchema),
  /** Daily caps the scheduler checks against what it already has planned for the account. */
  caps: z.array(preflightCapSchema).default([]),
});
export type PreflightTargetResult = z.infer<typeof preflightTargetResultSchema>;

export const preflightContentSchema = z.object({
  title: z.string().max(300).optional(),
  text: z.string().max(10_000),
  hashtags: z.array(z.string().max(100)).max(30).default([]),
  mediaIds: z.array(idSchema).max(20).default([]),
  overrides: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

/**
 * The one pre-flight check: would this content publish on each target? Accounts (exists in the workspace,
 * connected, authorised), plugin loaded, and the plugin's own `validate` (manifest rules: text counted the
 * platform's way, media kinds / sizes / durations / dimensions, ...). Answers every violated rule per target.
 */
export const PublisherPreflight = defineCommand(
  'publisher',
  'preflight',
  z.object({ content: preflightContentSchema, targets: z.array(z.object({ accountId: z.string().min(1).max(64), platform: z.string().max(40).optional() })).min(1).max(50) }),
  z.object({ ok: z.boolean(), targets: z.array(preflightTargetResultSchema) }),
);
