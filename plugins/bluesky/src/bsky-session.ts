// App-password sessions: createSession once at connect, refreshSession (rotating refreshJwt) when the
// access token expires, and a fresh createSession only when the refresh token itself is dead.
import { DisconnectedError, RejectedError, RetryableError, type BaseContext, type ConnectInput, type ConnectResult, type RefreshResult } from '@sx/plugin-sdk';
import { classifyBsky, serviceUrl, type BskyContext, type BskyCredentials, type BskySettings } from './bsky-api';

interface SessionBody {
  didDoc?: { service?: Array<{ id?: string; type?: string; serviceEndpoint?: unknown }> };
  did?: string;
  handle?: string;
  accessJwt?: string;
  refreshJwt?: string;
}

function jwtExpiry(jwt: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return claims.exp ? new Date(claims.exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

function sessionCredentials(base: Pick<BskyCredentials, 'identifier' | 'appPassword'>, s: SessionBody): BskyCredentials {
  if (!s.did || !s.accessJwt || !s.refreshJwt) throw new RetryableError('the PDS answered without a session');
  const pds = s.didDoc?.service?.find((x) => x.id === '#atproto_pds' || x.type === 'AtprotoPersonalDataServer')?.serviceEndpoint;
  const out: BskyCredentials = { ...base, did: s.did, handle: s.handle ?? s.did, accessJwt: s.accessJwt, refreshJwt: s.refreshJwt };
  if (typeof pds === 'string' && /^https?:\/\//.test(pds)) out.pdsUrl = pds;
  return out;
}

async function createSession(ctx: BaseContext<BskySettings>, identifier: string, appPassword: string): Promise<BskyCredentials> {
  const res = await ctx.http.request({
    method: 'POST',
    url: `${serviceUrl(ctx.settings)}/xrpc/com.atproto.server.createSession`,
    json: { identifier, password: appPassword },
  });
  if (res.status === 401) throw new DisconnectedError('the PDS refused the handle or app password');
  if (res.status !== 200) throw classifyBsky(res, ctx.clock.nowMs(), 'createSession');
  return sessionCredentials({ identifier, appPassword }, res.json<SessionBody>() ?? {});
}

export async function connect(ctx: BaseContext<BskySettings>, input: ConnectInput): Promise<ConnectResult<BskyCredentials>> {
  if (input.kind !== 'app_password') {
    throw new RejectedError(`Bluesky connects with an app password, not ${input.kind}`, [{ rule: 'auth.kind', message: 'use a handle and an app password' }]);
  }
  const credentials = await createSession(ctx, input.identifier, input.password);
  const handle = credentials.handle ?? input.identifier;
  return {
    credentials,
    expiresAt: jwtExpiry(credentials.accessJwt ?? ''),
    profile: { externalId: credentials.did ?? '', handle, url: `https://bsky.app/profile/${handle}` },
  };
}

export async function refreshCredentials(ctx: BskyContext): Promise<RefreshResult<BskyCredentials>> {
  const { identifier, appPassword, refreshJwt } = ctx.credentials;
  if (refreshJwt) {
    const res = await ctx.http.request({
      method: 'POST',
      url: `${serviceUrl(ctx.settings)}/xrpc/com.atproto.server.refreshSession`,
      headers: { authorization: `Bearer ${refreshJwt}` },
    });
    if (res.status === 200) {
      const credentials = sessionCredentials({ identifier, appPassword }, res.json<SessionBody>() ?? {});
      return { credentials, expiresAt: jwtExpiry(credentials.accessJwt ?? '') };
    }
    if (res.status >= 500 || res.status === 429) throw classifyBsky(res, ctx.clock.nowMs(), 'refreshSession');
    // ExpiredToken / InvalidToken: the refresh token is dead; log in again with the app password.
  }
  const credentials = await createSession(ctx, identifier, appPassword);
  return { credentials, expiresAt: jwtExpiry(credentials.accessJwt ?? '') };
}
