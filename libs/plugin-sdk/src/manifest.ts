import { z } from 'zod';
import { TEXT_COUNTING_RULES } from '@sx/contracts';
import { renditionsSchema } from './manifest-renditions';
import { oauth2AuthSchema } from './manifest-auth';

/**
 * The contract version this SDK implements. Plugins declare the version they were built against.
 * 1.1.0 added `renditions`, `auth.oauth2` and `rateLimits[].resetZone` (all optional; see README).
 */
export const CONTRACT_VERSION = '1.1.0';

/** Optional features a plugin declares in its manifest; the host never probes for methods. */
export const capabilitySchema = z.enum([
  'text',
  'image',
  'video',
  'gif',
  'carousel',
  'thread',
  'first_comment',
  'alt_text',
  'reconcile',
  'refresh',
  'metrics',
  'delete',
  'profile',
]);
export type Capability = z.infer<typeof capabilitySchema>;

/** How the post text is measured against `text.maxLength`. */
export const textCountingSchema = z.enum(TEXT_COUNTING_RULES);
export type TextCounting = z.infer<typeof textCountingSchema>;

export const authKindSchema = z.enum(['oauth2_pkce', 'app_password', 'bot_token', 'webhook_url', 'none']);
export type AuthKind = z.infer<typeof authKindSchema>;

const semver = z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'must be a semantic version (1.2.3)');
const mimeType = z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'must be a MIME type');

const mediaKindLimits = z
  .object({
    maxBytes: z.number().int().positive(),
    mimeTypes: z.array(mimeType).min(1),
    maxPixels: z.number().int().positive().optional(),
    maxWidth: z.number().int().positive().optional(),
    maxHeight: z.number().int().positive().optional(),
    minDurationS: z.number().nonnegative().optional(),
    maxDurationS: z.number().positive().optional(),
  })
  .strict();
export type MediaKindLimits = z.infer<typeof mediaKindLimits>;

/** A JSON schema (draft 2020-12 subset) describing an object; the dashboard renders forms from it. */
export const objectJsonSchema = z
  .object({ type: z.literal('object'), properties: z.record(z.string(), z.record(z.string(), z.unknown())) })
  .catchall(z.unknown());
export type ObjectJsonSchema = z.infer<typeof objectJsonSchema>;

export const manifestSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes, 1-32 chars'),
    name: z.string().min(1).max(64),
    version: semver,
    contractVersion: semver,
    platform: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
    description: z.string().max(500).optional(),
    auth: z
      .object({
        kind: authKindSchema,
        scopes: z.array(z.string()).default([]),
        /** True when every refresh invalidates the previous refresh token (X). */
        rotatingRefreshTokens: z.boolean().default(false),
        /** OAuth 2.0 endpoints and client fields (1.1): what a connect form needs to know. */
        oauth2: oauth2AuthSchema.optional(),
      })
      .strict(),
    capabilities: z.array(capabilitySchema).min(1),
    text: z
      .object({
        maxLength: z.number().int().positive(),
        counting: textCountingSchema,
        /** Weight of every URL when counting (X counts each URL as 23). */
        urlWeight: z.number().int().positive().optional(),
        maxHashtags: z.number().int().nonnegative().optional(),
        required: z.boolean().default(false),
      })
      .strict(),
    media: z
      .object({
        maxItems: z.number().int().nonnegative(),
        /** May images and videos share one post? */
        mixed: z.boolean().default(false),
        image: mediaKindLimits.optional(),
        video: mediaKindLimits.extend({ maxItems: z.number().int().positive().default(1) }).optional(),
        gif: mediaKindLimits.extend({ maxItems: z.number().int().positive().default(1) }).optional(),
        altTextMaxLength: z.number().int().positive().optional(),
      })
      .strict(),
    rateLimits: z
      .array(
        z
          .object({
            name: z.string().min(1),
            scope: z.enum(['account', 'app']),
            limit: z.number().int().positive(),
            windowS: z.number().int().positive(),
            /**
             * IANA zone (1.1): the window is the calendar day in that zone, resetting at its midnight
             * (YouTube's quota resets at midnight Pacific), instead of a rolling `windowS`.
             */
            resetZone: z.string().min(1).max(64).optional(),
          })
          .strict(),
      )
      .default([]),
    /** What the pipeline encodes media into for this platform (1.1); derived from `media` when absent. */
    renditions: renditionsSchema.optional(),
    credentialsSchema: objectJsonSchema,
    settingsSchema: objectJsonSchema.default({ type: 'object', properties: {} }),
  })
  .strict();

export type PluginManifest = z.infer<typeof manifestSchema>;
export type PluginManifestInput = z.input<typeof manifestSchema>;

export type ManifestParseResult = { ok: true; manifest: PluginManifest } | { ok: false; problems: string[] };

/** Strict parse: unknown keys, bad types and missing fields are all reported, path by path. */
export function parseManifest(raw: unknown): ManifestParseResult {
  const r = manifestSchema.safeParse(raw);
  if (!r.success) {
    return { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  const problems = manifestConsistencyProblems(r.data);
  return problems.length ? { ok: false, problems } : { ok: true, manifest: r.data };
}

function manifestConsistencyProblems(m: PluginManifest): string[] {
  const p: string[] = [];
  const has = (c: Capability) => m.capabilities.includes(c);
  if (has('image') && !m.media.image) p.push('media.image: required when the image capability is declared');
  if (has('video') && !m.media.video) p.push('media.video: required when the video capability is declared');
  if (has('gif') && !m.media.gif) p.push('media.gif: required when the gif capability is declared');
  if (has('alt_text') && !m.media.altTextMaxLength) p.push('media.altTextMaxLength: required with alt_text');
  if (has('refresh') && m.auth.kind === 'none') p.push('auth.kind: the refresh capability needs credentials');
  if (m.text.counting === 'x_weighted' && !m.text.urlWeight) p.push('text.urlWeight: required with x_weighted');
  if (m.renditions?.image && !has('image')) p.push('renditions.image: declared without the image capability');
  if (m.renditions?.video && !has('video')) p.push('renditions.video: declared without the video capability');
  m.rateLimits.forEach((r, i) => {
    if (r.resetZone && r.windowS !== 86_400) p.push(`rateLimits.${i}.windowS: must be 86400 with resetZone (a calendar day)`);
    if (r.resetZone && !isIanaZone(r.resetZone)) p.push(`rateLimits.${i}.resetZone: not an IANA time zone`);
  });
  const uses11 = m.renditions || m.auth.oauth2 || m.rateLimits.some((r) => r.resetZone);
  if (uses11 && !isContractCompatible('1.1.0', m.contractVersion)) {
    p.push(`contractVersion: renditions, auth.oauth2 and rateLimits[].resetZone need 1.1.0 or later (declared ${m.contractVersion})`);
  }
  if (m.auth.oauth2 && m.auth.kind !== 'oauth2_pkce') p.push('auth.oauth2: only with auth.kind oauth2_pkce');
  for (const key of [m.auth.oauth2?.clientIdSetting, m.auth.oauth2?.clientSecretSetting]) {
    if (key && !(key in m.settingsSchema.properties)) p.push(`auth.oauth2: settingsSchema has no "${key}" property`);
  }
  return p;
}

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseSemver(v: string): [number, number, number] {
  const [a, b, c] = v.split('-')[0].split('.').map(Number);
  return [a, b, c];
}

/** Same major; the plugin's minor must not be newer than the host's (it may use features the host lacks). */
export function isContractCompatible(pluginContract: string, hostContract = CONTRACT_VERSION): boolean {
  const [pm, pn] = parseSemver(pluginContract);
  const [hm, hn] = parseSemver(hostContract);
  return pm === hm && pn <= hn;
}
