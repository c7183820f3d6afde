// Test helper: connects an account through the plugin's real OAuth 2.0 PKCE flow on the contract server.
import { createTestBaseContext } from '@sx/plugin-sdk';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { XContractServer } from '../../contract-server/x-contract-server';
import plugin from '../index';
import type { XSettings } from '../x-api';

/** Runs the browser leg of the PKCE flow: follows the authorize URL and returns the code. */
export async function authorizeCode(authorizeUrl: string): Promise<string> {
  const location = await new Promise<string>((resolve, reject) => {
    http.get(authorizeUrl, (res) => {
      res.resume();
      resolve(res.headers.location ?? '');
    }).on('error', reject);
  });
  return new URL(location).searchParams.get('code') ?? '';
}

/** Connects an account through the plugin's own OAuth 2.0 PKCE flow against the contract server. */
export async function connectAccount(server: XContractServer) {
  const settings: XSettings = { clientId: server.clientId, apiBaseUrl: server.url, authorizeUrl: `${server.url}/i/oauth2/authorize` };
  const base = createTestBaseContext(settings);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  if (!plugin.beginOAuth2) throw new Error('the plugin must implement beginOAuth2');
  const begin = await plugin.beginOAuth2(base, { redirectUri, state: 's1', codeChallenge: challenge, codeChallengeMethod: 'S256' });
  const code = await authorizeCode(begin.authorizeUrl);
  const connected = await plugin.connect(base, { kind: 'oauth2_code', code, codeVerifier: verifier, redirectUri });
  return { credentials: connected.credentials, settings, profile: connected.profile };
}
