// Test helper: connects a channel through the plugin's real Google OAuth flow on the contract server.
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { createTestBaseContext, type MediaRef } from '@sx/plugin-sdk';
import type { YouTubeContractServer } from '../../contract-server/youtube-contract-server';
import plugin from '../index';
import type { YouTubeSettings } from '../youtube-api';

/** The browser leg: follows the authorize URL and returns the code from the redirect. */
export async function authorizeCode(authorizeUrl: string): Promise<string> {
  const location = await new Promise<string>((resolve, reject) => {
    http.get(authorizeUrl, (res) => {
      res.resume();
      resolve(res.headers.location ?? '');
    }).on('error', reject);
  });
  return new URL(location).searchParams.get('code') ?? '';
}

export function settingsFor(server: YouTubeContractServer, chunk = 262_144): YouTubeSettings {
  return {
    clientId: server.oauth.clientId,
    clientSecret: 'GOCSPX-contract-secret',
    apiBaseUrl: server.url,
    authorizeUrl: `${server.url}/o/oauth2/v2/auth`,
    tokenUrl: `${server.url}/token`,
    uploadChunkBytes: chunk,
  };
}

export async function connectChannel(server: YouTubeContractServer, chunk?: number) {
  const settings = settingsFor(server, chunk);
  const base = createTestBaseContext(settings);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  if (!plugin.beginOAuth2) throw new Error('the plugin must implement beginOAuth2');
  const begin = await plugin.beginOAuth2(base, { redirectUri, state: 'state-1', codeChallenge: challenge, codeChallengeMethod: 'S256' });
  const code = await authorizeCode(begin.authorizeUrl);
  const connected = await plugin.connect(base, { kind: 'oauth2_code', code, codeVerifier: verifier, redirectUri });
  return { credentials: connected.credentials, settings, profile: connected.profile, authorizeUrl: begin.authorizeUrl };
}

/** A clip of `bytes` pseudo-random bytes described as a vertical or landscape video. */
export function clip(bytes: number, shape: { width: number; height: number; durationS: number } = { width: 1920, height: 1080, durationS: 30 }, id = 'clip-1') {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 7919 + 13) % 251;
  const ref: MediaRef = { id, kind: 'video', mimeType: 'video/mp4', sizeBytes: bytes, ...shape, filename: 'clip.mp4' };
  return { ref, bytes: data };
}
