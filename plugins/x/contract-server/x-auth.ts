// OAuth 2.0 Authorization Code + PKCE with rotating refresh tokens, as X documents it
// (docs.x.com fundamentals/authentication/oauth-2-0/authorization-code).
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { ContractHttpServer, HttpFailure, bearer, parseForm } from '@sx/plugin-sdk';

export interface XUser {
  id: string;
  username: string;
  name: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  userId: string;
}

interface Grant {
  userId: string;
  clientId: string;
  scope: string;
  expiresAt: number;
}

export const ACCESS_TTL_SEC = 7200;

export class XAuth {
  private readonly codes = new Map<string, PendingCode>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Omit<Grant, 'expiresAt'>>();
  refreshCount = 0;

  constructor(
    private readonly now: () => number,
    private readonly user: XUser,
    private readonly clients: Map<string, string | undefined>,
  ) {}

  /** Issues a token pair directly (test setup without the browser step). */
  issue(clientId: string, scope = 'tweet.read tweet.write users.read media.write offline.access') {
    return this.mint({ userId: this.user.id, clientId, scope });
  }

  expireAll(): void {
    for (const g of this.access.values()) g.expiresAt = this.now() - 1;
  }

  expireAccessToken(token: string): void {
    const g = this.access.get(token);
    if (g) g.expiresAt = this.now() - 1;
  }

  register(http: ContractHttpServer): void {
    http.route('GET', '/i/oauth2/authorize', 'authorize', (req) => {
      const q = req.query;
      const clientId = q.get('client_id') ?? '';
      if (!this.clients.has(clientId)) throw new HttpFailure(400, { error: 'invalid_client' });
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        throw new HttpFailure(400, { error: 'invalid_request', error_description: 'PKCE S256 required' });
      }
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, {
        clientId,
        redirectUri: q.get('redirect_uri') ?? '',
        challenge: q.get('code_challenge') ?? '',
        scope: q.get('scope') ?? '',
        userId: this.user.id,
      });
      const target = new URL(q.get('redirect_uri') ?? '');
      target.searchParams.set('state', q.get('state') ?? '');
      target.searchParams.set('code', code);
      return { status: 302, headers: { location: target.toString() } };
    });

    http.route('POST', '/2/oauth2/token', 'token', (req) => {
      const form = parseForm(req.body);
      const clientId = this.clientOf(req.headers, form);
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') return { status: 200, body: this.exchange(form, clientId) };
      if (grantType === 'refresh_token') return { status: 200, body: this.rotate(form, clientId) };
      throw new HttpFailure(400, { error: 'unsupported_grant_type' });
    });

    http.route('GET', '/2/users/me', 'users.me', (req) => {
      this.authorize(req.headers);
      return { status: 200, body: { data: this.user } };
    });
  }

  /** Returns the user id behind a valid access token or throws X's 401. */
  authorize(headers: http.IncomingHttpHeaders): string {
    const token = bearer(headers);
    const grant = token ? this.access.get(token) : undefined;
    if (!grant || grant.expiresAt <= this.now()) {
      throw new HttpFailure(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    }
    return grant.userId;
  }

  private clientOf(headers: http.IncomingHttpHeaders, form: URLSearchParams): string {
    const basic = headers.authorization?.startsWith('Basic ')
      ? Buffer.from(headers.authorization.slice(6), 'base64').toString('utf8')
      : undefined;
    const [id, secret] = basic ? basic.split(':') : [form.get('client_id') ?? '', undefined];
    if (!this.clients.has(id)) throw new HttpFailure(401, { error: 'unauthorized_client' });
    const expected = this.clients.get(id);
    if (expected !== undefined && expected !== secret) throw new HttpFailure(401, { error: 'unauthorized_client' });
    return id;
  }

  private exchange(form: URLSearchParams, clientId: string) {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!pending || pending.clientId !== clientId || pending.challenge !== challenge) {
      throw new HttpFailure(400, {
        error: 'invalid_request',
        error_description: 'Value passed for the authorization code was invalid.',
      });
    }
    if (pending.redirectUri !== (form.get('redirect_uri') ?? '')) {
      throw new HttpFailure(400, { error: 'invalid_request', error_description: 'redirect_uri mismatch' });
    }
    return this.mint({ userId: pending.userId, clientId, scope: pending.scope });
  }

  private rotate(form: URLSearchParams, clientId: string) {
    const old = form.get('refresh_token') ?? '';
    const grant = this.refresh.get(old);
    if (!grant || grant.clientId !== clientId) {
      throw new HttpFailure(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
    }
    this.refresh.delete(old); // rotation: the old refresh token is spent
    this.refreshCount += 1;
    return this.mint(grant);
  }

  private mint(grant: Omit<Grant, 'expiresAt'>) {
    const accessToken = randomBytes(24).toString('base64url');
    this.access.set(accessToken, { ...grant, expiresAt: this.now() + ACCESS_TTL_SEC * 1000 });
    const out: Record<string, string | number> = {
      token_type: 'bearer',
      expires_in: ACCESS_TTL_SEC,
      access_token: accessToken,
      scope: grant.scope,
    };
    if (grant.scope.split(' ').includes('offline.access')) {
      const refreshToken = randomBytes(24).toString('base64url');
      this.refresh.set(refreshToken, grant);
      out.refresh_token = refreshToken;
    }
    return out;
  }
}
