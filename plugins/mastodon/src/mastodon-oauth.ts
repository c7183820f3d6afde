// Per-instance app registration (POST /api/v1/apps) and OAuth 2.0 authorization code with PKCE.
// Mastodon tokens do not expire, so there is no refresh capability.
import {
  RejectedError,
  RetryableError,
  type BaseContext,
  type ConnectInput,
  type ConnectResult,
  type OAuth2BeginInput,
  type OAuth2BeginResult,
} from '@sx/plugin-sdk';
import { instanceBase, mastodonCall, type MastodonCredentials, type MastodonSettings } from './mastodon-api';

export const MASTODON_SCOPES = 'write:statuses write:media read:accounts';

export async function beginOAuth2(ctx: BaseContext<MastodonSettings>, input: OAuth2BeginInput): Promise<OAuth2BeginResult> {
  const res = await mastodonCall(ctx, undefined, 'register app', {
    method: 'POST',
    url: '/api/v1/apps',
    json: { client_name: 'SchedulerX', redirect_uris: input.redirectUri, scopes: MASTODON_SCOPES },
  });
  const app = res.json<{ client_id?: string; client_secret?: string }>();
  if (!app?.client_id || !app.client_secret) throw new RetryableError('the instance registered no app');
  const url = new URL(`${instanceBase(ctx.settings)}/oauth/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', app.client_id);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', MASTODON_SCOPES);
  url.searchParams.set('state', input.state);
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', input.codeChallengeMethod);
  // The host keeps `pending` server-side with the state until the callback.
  return { authorizeUrl: url.toString(), pending: { clientId: app.client_id, clientSecret: app.client_secret } };
}

export async function connect(
  ctx: BaseContext<MastodonSettings>,
  input: ConnectInput,
): Promise<ConnectResult<MastodonCredentials>> {
  if (input.kind !== 'oauth2_code') {
    throw new RejectedError(`Mastodon connects with OAuth 2.0 only, not ${input.kind}`, [
      { rule: 'auth.kind', message: 'use the OAuth 2.0 authorization code flow' },
    ]);
  }
  const clientId = String(input.pending?.clientId ?? '');
  const clientSecret = String(input.pending?.clientSecret ?? '');
  if (!clientId || !clientSecret) {
    throw new RejectedError('the OAuth state lost its app registration', [{ rule: 'oauth.pending', message: 'start the connection again' }]);
  }
  const res = await mastodonCall(ctx, undefined, 'token exchange', {
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: input.code,
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    }).toString(),
  });
  const token = res.json<{ access_token?: string }>()?.access_token;
  if (!token) throw new RetryableError('the instance issued no access token');
  const me = await verifyCredentials(ctx, token);
  return {
    credentials: { accessToken: token, accountId: me.id, username: me.acct, clientId, clientSecret },
    profile: { externalId: me.id, handle: me.acct, displayName: me.display_name, url: me.url },
  };
}

export async function verifyCredentials(ctx: BaseContext<MastodonSettings>, token: string) {
  const res = await mastodonCall(ctx, token, 'verify credentials', { method: 'GET', url: '/api/v1/accounts/verify_credentials' });
  const me = res.json<{ id?: string; acct?: string; display_name?: string; url?: string }>();
  if (!me?.id || !me.acct) throw new RetryableError('verify_credentials answered without an account');
  return { id: me.id, acct: me.acct, display_name: me.display_name, url: me.url };
}
