// Test helper: connects an account through the plugin's real per-instance OAuth flow on the contract server.
import { createTestBaseContext } from '@sx/plugin-sdk';
import { createHash, randomBytes } from 'node:crypto';
import type { MastodonContractServer } from '../../contract-server/mastodon-contract-server';
import plugin from '../index';
import type { MastodonSettings } from '../mastodon-api';

/** Runs the browser leg: opens the consent page, presses Authorize, and returns the code from the redirect. */
async function authorizeCode(authorizeUrl: string): Promise<string> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200 || !(await page.text()).includes('Authorization required')) throw new Error(`no consent page (HTTP ${page.status})`);
  const url = new URL(authorizeUrl);
  const res = await fetch(`${url.origin}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: url.searchParams.toString(),
    redirect: 'manual',
  });
  return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
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
