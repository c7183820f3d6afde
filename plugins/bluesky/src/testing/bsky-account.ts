// Test helper: connects an account with the plugin's app-password flow.
import { createTestBaseContext } from '@sx/plugin-sdk';
import plugin from '../index';
import type { BskySettings } from '../bsky-api';

export async function connectAccount(service: string, identifier: string, password: string) {
  const settings: BskySettings = { service };
  const connected = await plugin.connect(createTestBaseContext(settings, { allow: ['127.0.0.0/8', '::1', 'localhost'] }), {
    kind: 'app_password',
    identifier,
    password,
  });
  return { credentials: connected.credentials, settings, profile: connected.profile };
}
