// Google OAuth 2.0 for a web-server client: authorize URL with access_type=offline (so a refresh
// token is issued) and PKCE, code exchange with the client secret, access-token refresh (the refresh
// token does not rotate; `invalid_grant` means the person must connect again).
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
import pkg from '../package.json';
import { credentialsOf, settingsOf, ytCall, type YouTubeContext, type YouTubeCredentials, type YouTubeSettings } from './youtube-api';

const SCOPES = pkg.schedulerx.auth.scopes.join(' ');

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

export async function beginOAuth2(ctx: BaseContext<YouTubeSettings>, input: OAuth2BeginInput): Promise<OAuth2BeginResult> {
  const s = settingsOf(ctx.settings);
  const url = new URL(s.authorizeUrl);
  const params: Record<string, string> = {
    client_id: s.clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: SCOPES,
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: input.codeChallengeMethod,
    ...pkg.schedulerx.auth.oauth2.authorizeParams,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { authorizeUrl: url.toString() };
}

async function token(ctx: BaseContext<YouTubeSettings>, form: Record<string, string>, what: string): Promise<TokenAnswer & { access_token: string }> {
  const s = settingsOf(ctx.settings);
  const res = await ctx.http.request({
    method: 'POST',
    url: s.tokenUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form, client_id: s.clientId, client_secret: s.clientSecret }).toString(),
  });
  const body = res.json<TokenAnswer>();
  if (res.status === 200 && body?.access_token) return { ...body, access_token: body.access_token };
  if (res.status >= 500 || res.status === 429) throw new RetryableError(`${what}: HTTP ${res.status}`);
  if (body?.error === 'invalid_client') throw new RejectedError(`${what}: Google refused the OAuth client id/secret (check the account settings)`);
  throw new DisconnectedError(`${what}: ${body?.error ?? `HTTP ${res.status}`}${body?.error_description ? ` (${body.error_description})` : ''}: connect the account again`);
}

const expiry = (ctx: BaseContext, t: TokenAnswer) => (t.expires_in ? new Date(ctx.clock.nowMs() + t.expires_in * 1000).toISOString() : undefined);

export async function connect(ctx: BaseContext<YouTubeSettings>, input: ConnectInput): Promise<ConnectResult<YouTubeCredentials>> {
  if (input.kind !== 'oauth2_code') throw new RejectedError(`YouTube connects with Google OAuth 2.0, not ${input.kind}`);
  const t = await token(ctx, { grant_type: 'authorization_code', code: input.code, code_verifier: input.codeVerifier, redirect_uri: input.redirectUri }, 'token exchange');
  if (!t.refresh_token) throw new DisconnectedError('Google issued no refresh token (offline access was not granted): connect again and allow offline access');
  const partial = { accessToken: t.access_token, refreshToken: t.refresh_token, channelId: '-', uploadsPlaylistId: '-' };
  const channel = await fetchChannel({ ...ctx, credentials: partial } as unknown as YouTubeContext);
  const credentials: YouTubeCredentials = { ...partial, ...channel, expiresAt: expiry(ctx, t) };
  return {
    credentials,
    expiresAt: credentials.expiresAt,
    profile: { externalId: channel.channelId, handle: channel.handle ?? channel.channelTitle, displayName: channel.channelTitle, url: `https://www.youtube.com/channel/${channel.channelId}` },
  };
}

export async function refreshCredentials(ctx: YouTubeContext): Promise<RefreshResult<YouTubeCredentials>> {
  const c = credentialsOf(ctx.credentials);
  const t = await token(ctx, { grant_type: 'refresh_token', refresh_token: c.refreshToken }, 'token refresh');
  // Google keeps the refresh token unless it sends a new one.
  const credentials: YouTubeCredentials = { ...c, accessToken: t.access_token, refreshToken: t.refresh_token ?? c.refreshToken, expiresAt: expiry(ctx, t) };
  return { credentials, expiresAt: credentials.expiresAt };
}

export async function fetchChannel(ctx: YouTubeContext): Promise<{ channelId: string; channelTitle: string; uploadsPlaylistId: string; handle?: string }> {
  const res = await ytCall(ctx, 'channels.list', { method: 'GET', url: '/youtube/v3/channels?part=snippet,contentDetails&mine=true' });
  const item = res.json<{ items?: { id?: string; snippet?: { title?: string; customUrl?: string }; contentDetails?: { relatedPlaylists?: { uploads?: string } } }[] }>()?.items?.[0];
  if (!item?.id) throw new DisconnectedError('this Google account has no YouTube channel: create one, then connect again');
  const uploads = item.contentDetails?.relatedPlaylists?.uploads;
  if (!uploads) throw new RetryableError('channels.list answered without the uploads playlist');
  return { channelId: item.id, channelTitle: item.snippet?.title ?? item.id, uploadsPlaylistId: uploads, handle: item.snippet?.customUrl };
}
