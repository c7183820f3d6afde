import { z } from 'zod';

const settingKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a settingsSchema property name');

/**
 * The OAuth 2.0 description of an `oauth2_pkce` plugin (contract 1.1): the dashboard's connect form
 * and the docs read it; the plugin's beginOAuth2/connect still make the calls.
 */
export const oauth2AuthSchema = z
  .object({
    authorizeUrl: z.url(),
    tokenUrl: z.url(),
    /** `required`: the platform rejects a code exchange without a verifier; `optional`: sent anyway. */
    pkce: z.enum(['required', 'optional']),
    /** The settings property holding the client id a person registers with the platform. */
    clientIdSetting: settingKey.optional(),
    /** The settings property holding the client secret (confidential clients). */
    clientSecretSetting: settingKey.optional(),
    /** Extra authorize-URL parameters the plugin always sends (e.g. access_type=offline). */
    authorizeParams: z.record(z.string(), z.string()).default({}),
    /** Where a person registers the app / finds the client id. */
    registrationUrl: z.url().optional(),
    /** Lifetime of an access token in seconds, when the platform fixes one. */
    accessTokenTtlS: z.number().int().positive().optional(),
  })
  .strict();
export type OAuth2AuthDescription = z.infer<typeof oauth2AuthSchema>;
