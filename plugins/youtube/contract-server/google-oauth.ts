// Google OAuth 2.0 for web-server apps (developers.google.com/identity/protocols/oauth2/web-server):
// authorization code with optional PKCE, a client secret, 1-hour access tokens, and a refresh token only
// with access_type=offline — refreshing returns a new access token and leaves the refresh token as it is.
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { ContractHttpServer, HttpFailure, bearer, parseForm } from '@sx/plugin-sdk';
import { authError } from './google-errors';

export const ACCESS_TTL_S = 3599;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  scope: string;
  offline: boolean;
}

export class GoogleOAuth {
  private readonly codes = new Map<string, PendingCode>();
  private readonly access = new Map<string, { expiresAt: number; scope: string }>();
  private readonly refresh = new Map<string, { clientId: string; scope: string }>();
  refreshCount = 0;

  constructor(
    private readonly now: () => number,
    readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  register(http: ContractHttpServer): void {
    http.route('GET', '/o/oauth2/v2/auth', 'oauth.authorize', (req) => {
      const q = req.query;
      if (q.get('client_id') !== this.clientId) throw new HttpFailure(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
      if (q.get('response_type') !== 'code') throw new HttpFailure(400, { error: 'unsupported_response_type' });
      const method = q.get('code_challenge_method');
      if (q.get('code_challenge') && method !== 'S256' && method !== 'plain') throw new HttpFailure(400, { error: 'invalid_request', error_description: 'Invalid code_challenge_method' });
      const code = `4/${randomBytes(24).toString('base64url')}`;
      this.codes.set(code, {
        clientId: this.clientId,
        redirectUri: q.get('redirect_uri') ?? '',
        challenge: q.get('code_challenge') ?? undefined,
        scope: q.get('scope') ?? '',
        offline: q.get('access_type') === 'offline',
      });
      const target = new URL(q.get('redirect_uri') ?? '');
      target.searchParams.set('state', q.get('state') ?? '');
      target.searchParams.set('code', code);
      target.searchParams.set('scope', q.get('scope') ?? '');
      return { status: 302, headers: { location: target.toString() } };
    });

    http.route('POST', '/token', 'oauth.token', (req) => {
      const form = parseForm(req.body);
      if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        throw new HttpFailure(401, { error: 'invalid_client', error_description: 'Unauthorized' });
      }
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') return { status: 200, body: this.exchange(form) };
      if (grant === 'refresh_token') return { status: 200, body: this.refreshGrant(form) };
      throw new HttpFailure(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grant ?? ''}` });
    });
  }

  /** A token pair without the browser step (serve.ts and tests). */
  issue(scope = 'https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl') {
    return this.mint(scope, true);
  }

  /** Throws Google's 401 unless the bearer token is live. */
  authorize(headers: http.IncomingHttpHeaders): void {
    const token = bearer(headers);
    const grant = token ? this.access.get(token) : undefined;
    if (!grant || grant.expiresAt <= this.now()) throw authError();
  }

  expireAll(): void {
    for (const g of this.access.values()) g.expiresAt = this.now() - 1;
  }

  /** The app was removed from the Google account (or the Testing-mode 7 days ran out). */
  revokeRefreshTokens(): void {
    this.refresh.clear();
  }

  private exchange(form: URLSearchParams) {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending) throw new HttpFailure(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
    if (pending.redirectUri !== form.get('redirect_uri')) throw new HttpFailure(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
    if (pending.challenge) {
      const verifier = form.get('code_verifier') ?? '';
      if (!verifier) throw new HttpFailure(400, { error: 'invalid_grant', error_description: 'Missing code verifier.' });
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
        throw new HttpFailure(400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      }
    }
    return this.mint(pending.scope, pending.offline);
  }

  private refreshGrant(form: URLSearchParams) {
    const grant = this.refresh.get(form.get('refresh_token') ?? '');
    if (!grant) throw new HttpFailure(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    this.refreshCount += 1;
    const { refresh_token: _unchanged, ...rest } = this.mint(grant.scope, false);
    return rest;
  }

  private mint(scope: string, withRefresh: boolean) {
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    this.access.set(accessToken, { expiresAt: this.now() + ACCESS_TTL_S * 1000, scope });
    let refreshToken: string | undefined;
    if (withRefresh) {
      refreshToken = `1//${randomBytes(24).toString('base64url')}`;
      this.refresh.set(refreshToken, { clientId: this.clientId, scope });
    }
    return { access_token: accessToken, expires_in: ACCESS_TTL_S, scope, token_type: 'Bearer', ...(refreshToken ? { refresh_token: refreshToken } : {}) };
  }
}
