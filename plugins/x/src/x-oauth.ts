// OAuth 2.0 Authorization Code with PKCE for a public client: authorize URL, code exchange and the
// rotating refresh (every refresh returns a new refresh token and spends the old one).
import {
  DisconnectedError,
  RejectedError,
  RetryableError,
  type BaseContext,
  type ConnectInput,
  type ConnectResult,
  type OAuth2BeginInput,
  type OAuth2BeginResult,
  type RefreshResult,
} from '@sx/plugin-sdk';
import { apiBase, classifyX, xCall, type XContext, type XCredentials, type XSettings } from './x-api';

export const X_SCOPES = 'tweet.read tweet.write users.read media.write offline.access';

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

export async function beginOAuth2(ctx: BaseContext<XSettings>, input: OAuth2BeginInput): Promise<OAuth2BeginResult> {
  const url = new URL(ctx.settings.authorizeUrl ?? 'https://x.com/i/oauth2/authorize');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', ctx.settings.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', X_SCOPES);
  url.searchParams.set('state', input.state);
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', input.codeChallengeMethod);
  return { authorizeUrl: url.toString() };
}

async function tokenCall(ctx: BaseContext<XSettings>, form: Record<string, string>, what: string): Promise<TokenResponse & { access_token: string }> {
  const res = await ctx.http.request({
    method: 'POST',
    url: `${apiBase(ctx.settings)}/2/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form, client_id: ctx.settings.clientId }).toString(),
  });
  const body = res.json<TokenResponse & { error?: string; error_description?: string }>();
  if (res.status >= 200 && res.status < 300 && body?.access_token) return { ...body, access_token: body.access_token };
  if (res.status >= 500) throw new RetryableError(`${what}: HTTP ${res.status}`);
  if (res.status === 429) throw classifyX(res, ctx.clock.nowMs(), what);
  // A spent, revoked or wrong grant: a person must connect the account again.
  throw new DisconnectedError(`${what}: ${body?.error ?? `HTTP ${res.status}`} ${body?.error_description ?? ''}`.trim());
}

function expiry(ctx: BaseContext<XSettings>, body: TokenResponse): string | undefined {
  return body.expires_in ? new Date(ctx.clock.nowMs() + body.expires_in * 1000).toISOString() : undefined;
}

export async function connect(ctx: BaseContext<XSettings>, input: ConnectInput): Promise<ConnectResult<XCredentials>> {
  if (input.kind !== 'oauth2_code') {
    throw new RejectedError(`X connects with OAuth 2.0 only, not ${input.kind}`, [
      { rule: 'auth.kind', message: 'use the OAuth 2.0 authorization code flow' },
    ]);
  }
  const tokens = await tokenCall(
    ctx,
    { grant_type: 'authorization_code', code: input.code, code_verifier: input.codeVerifier, redirect_uri: input.redirectUri },
    'token exchange',
  );
  const partial = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, userId: '', username: '' };
  const me = await fetchMe({ ...ctx, credentials: partial } as XContext);
  const credentials: XCredentials = { ...partial, expiresAt: expiry(ctx, tokens), userId: me.id, username: me.username };
  return {
    credentials,
    expiresAt: credentials.expiresAt,
    profile: { externalId: me.id, handle: me.username, displayName: me.name, url: `https://x.com/${me.username}` },
  };
}

export async function refreshCredentials(ctx: XContext): Promise<RefreshResult<XCredentials>> {
  const refreshToken = ctx.credentials.refreshToken;
  if (!refreshToken) throw new DisconnectedError('no refresh token (offline.access was not granted); reconnect the account');
  const tokens = await tokenCall(ctx, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'token refresh');
  const credentials: XCredentials = {
    ...ctx.credentials,
    accessToken: tokens.access_token,
    // Rotation: always keep the newest refresh token; the old one is spent.
    refreshToken: tokens.refresh_token ?? refreshToken,
    expiresAt: expiry(ctx, tokens),
  };
  return { credentials, expiresAt: credentials.expiresAt };
}

export async function fetchMe(ctx: XContext): Promise<{ id: string; username: string; name?: string }> {
  const res = await xCall(ctx, 'users/me', { method: 'GET', url: '/2/users/me' });
  const data = res.json<{ data?: { id?: string; username?: string; name?: string } }>()?.data;
  if (!data?.id || !data.username) throw new RetryableError('users/me answered without an id');
  return { id: data.id, username: data.username, name: data.name };
}
