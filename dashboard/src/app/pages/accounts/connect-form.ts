import { AuthKind, PluginManifest } from '../../core/api/plugins.api';
import { SchemaField, fieldsOf } from '../../shared/schema-form/schema-form';

/** What the person types to connect, generated from the manifest: no per-plugin code. */
export interface ConnectForm {
  /** Account settings from the plugin's settingsSchema (for example the Mastodon instance, X's client id or a Bluesky PDS). */
  settings: SchemaField[];
  /**
   * What the person hands over directly (credentialsSchema's required fields): an app password, a bot
   * token, a webhook URL. Empty for OAuth, where the platform issues the credentials after consent.
   */
  credentials: SchemaField[];
}

export function connectFormOf(plugin: PluginManifest): ConnectForm {
  const settings = fieldsOf(plugin.settingsSchema);
  if (plugin.auth.kind === 'oauth2_pkce' || plugin.auth.kind === 'none') return { settings, credentials: [] };
  const required = new Set(plugin.credentialsSchema?.required ?? []);
  return { settings, credentials: fieldsOf(plugin.credentialsSchema).filter((f) => required.has(f.key)) };
}

/** One plain sentence per auth kind, so the person knows what is about to happen. */
export function connectIntro(kind: AuthKind, name: string): string {
  switch (kind) {
    case 'oauth2_pkce':
      return `You will be sent to ${name} to approve access, then brought back here. SchedulerX never sees your ${name} password.`;
    case 'app_password':
      return `Create an app password in your ${name} settings and paste it here. Do not use your main password.`;
    case 'bot_token':
      return `Paste the token of the bot that should post for you.`;
    case 'webhook_url':
      return `Posts are sent as signed JSON to the address you give.`;
    case 'none':
      return `${name} needs no sign-in.`;
  }
}

/** The `problems` list the publisher attaches to a validation error, if any. */
export function problemsOf(details: unknown): string[] {
  const list = (details as { problems?: unknown } | null | undefined)?.problems;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}
