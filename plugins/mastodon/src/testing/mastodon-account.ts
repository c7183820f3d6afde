// Test helper: connects an account through the plugin's real per-instance OAuth flow on the contract server.
import { createTestBaseContext } from '@sx/plugin-sdk';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { MastodonContractServer } from '../../contract-server/mastodon-contract-server';
import plugin from '../index';
import type { MastodonSettings } from '../mastodon-api';

/** Runs the browser leg: follows the authorize URL and returns the code from the redirect. */
async function authorizeCode(authorizeUrl: string): Promise<string> {
  const location = await new Promise<string>((resolve, reject) => {
    http.get(authorizeUrl, (res) => {
      res.resume();
      resolve(res.headers.location ?? '');
    }).on('error', reject);
  });
  return new URL(location).searchParams.get('code') ?? '';
}

export async function connectAccount(server: MastodonContractServer) {
  const settings: MastodonSettings = { instanceUrl: server.url, visibility: 'public' };
  const base = createTestBaseContext(settings);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  if (!plugin.beginOAuth2) throw new Error('the plugin must implement beginOAuth2');
  const begin = await plugin.beginOAuth2(base, { redirectUri, state: 'st', codeChallenge: challenge, codeChallengeMethod: 'S256' });
  const code = await authorizeCode(begin.authorizeUrl);
  const connected = await plugin.connect(base, { kind: 'oauth2_code', code, codeVerifier: verifier, redirectUri, pending: begin.pending });
  return { credentials: connected.credentials, settings, profile: connected.profile };
}
