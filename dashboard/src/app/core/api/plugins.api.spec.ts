import { connectInput, toAccount, toManifest } from './plugins.api';

describe('publisher adapters', () => {
  it('maps the plugin info and its manifest to what the dashboard renders', () => {
    const m = toManifest({
      id: 'bluesky', status: 'ready', capabilities: ['text', 'image'], name: 'Bluesky', version: '1.0.0', authKind: 'app_password',
      manifest: { text: { maxLength: 300, counting: 'graphemes' }, media: { maxItems: 4 }, credentialsSchema: { type: 'object', properties: {} } },
    });
    expect(m).toMatchObject({ id: 'bluesky', name: 'Bluesky', auth: { kind: 'app_password' }, text: { maxLength: 300, counting: 'graphemes' }, media: { maxItems: 4 } });
    const broken = toManifest({ id: 'bad', status: 'failed', reason: 'manifest: text.maxLength required', capabilities: [] });
    expect(broken).toMatchObject({ name: 'bad', loadError: 'manifest: text.maxLength required', media: { maxItems: 0 } });
  });

  it('builds the connect input for each auth kind from the schema form values', () => {
    expect(connectInput('webhook_url', { url: 'http://h/x', secret: 's'.repeat(16) }, 'r')).toEqual({ kind: 'webhook_url', url: 'http://h/x', secret: 's'.repeat(16) });
    expect(connectInput('app_password', { identifier: 'me.bsky.social', appPassword: 'abcd' }, 'r')).toEqual({ kind: 'app_password', identifier: 'me.bsky.social', password: 'abcd' });
    expect(connectInput('bot_token', { token: 't' }, 'r')).toEqual({ kind: 'bot_token', token: 't' });
    expect(connectInput('oauth2_pkce', {}, 'http://localhost/accounts')).toEqual({ kind: 'oauth2_pkce', redirectUri: 'http://localhost/accounts' });
  });

  it('shows an account by display name or handle and maps its status', () => {
    const base = { id: 'a', pluginId: 'x', platform: 'x', handle: '@me', createdAt: '', updatedAt: '' };
    expect(toAccount({ ...base, status: 'active' })).toMatchObject({ displayName: '@me', status: 'connected' });
    expect(toAccount({ ...base, displayName: 'Me', status: 'needs_reconnect', expiresAt: '2026-07-01T00:00:00Z' })).toMatchObject({
      displayName: 'Me', status: 'expired', tokenExpiresAt: '2026-07-01T00:00:00Z',
    });
  });
});
