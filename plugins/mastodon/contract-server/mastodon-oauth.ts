// Per-instance app registration and OAuth 2.0 authorization code (+ optional PKCE S256), as
// docs.joinmastodon.org methods/apps and methods/oauth describe. Access tokens never expire.
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { ContractHttpServer, HttpFailure, bearer, parseForm, parseJson } from '@sx/plugin-sdk';
import { consentPage } from './mastodon-consent';

export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  url: string;
}

interface App {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string;
  name: string;
}

interface Code {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
}

/** Reads a form-encoded or JSON body into flat string params (Mastodon accepts both). */
export function readParams(body: Buffer, contentType: string | undefined): URLSearchParams {
  if ((contentType ?? '').includes('application/json')) {
    const obj = parseJson(body);
    const out = new URLSearchParams();
    if (obj && typeof obj === 'object') {
      for (const [k, v] of Object.entries(obj)) {
        if (Array.isArray(v)) v.forEach((x) => out.append(`${k}[]`, String(x)));
        else if (v !== undefined && v !== null) out.set(k, String(v));
      }
    }
    return out;
  }
  return parseForm(body);
}

export class MastodonOAuth {
  private readonly apps = new Map<string, App>();
  private readonly codes = new Map<string, Code>();
  private readonly tokens = new Map<string, { clientId: string; scope: string }>();

  constructor(
    private readonly account: MastodonAccount,
    private readonly now: () => number,
  ) {}

  /** Test setup: a token without the browser step. */
  issueToken(scope = 'write:statuses write:media read:accounts'): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId: 'direct', scope });
    return token;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  authorize(headers: http.IncomingHttpHeaders): MastodonAccount {
    const token = bearer(headers);
    if (!token || !this.tokens.has(token)) throw new HttpFailure(401, { error: 'The access token is invalid' });
    return this.account;
  }

  private readGrant(q: URLSearchParams): { app: App; redirectUri: string; scope: string; challenge?: string } {
    const app = this.apps.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!app || !app.redirectUris.includes(redirectUri) || q.get('response_type') !== 'code') {
      throw new HttpFailure(400, { error: 'invalid_request', error_description: 'The request is missing a required parameter' });
    }
    if (q.get('code_challenge') && q.get('code_challenge_method') !== 'S256') {
      throw new HttpFailure(400, { error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    return { app, redirectUri, scope: q.get('scope') ?? app.scopes, challenge: q.get('code_challenge') ?? undefined };
  }

  /** Apps registered so far (a client that stores its registration per instance registers once). */
  get appCount(): number {
    return this.apps.size;
  }

  register(http: ContractHttpServer): void {
    http.route('POST', '/api/v1/apps', 'apps.create', (req) => {
      const p = readParams(req.body, req.headers['content-type']);
      const name = p.get('client_name');
      const redirect = p.get('redirect_uris') ?? p.getAll('redirect_uris[]').join('\n');
      if (!name || !redirect) {
        throw new HttpFailure(422, { error: "Validation failed: Application name can't be blank, Redirect URI can't be blank" });
      }
      const app: App = {
        clientId: randomBytes(16).toString('base64url'),
        clientSecret: randomBytes(24).toString('base64url'),
        redirectUris: redirect.split(/\s+/),
        scopes: p.get('scopes') ?? 'read',
        name,
      };
      this.apps.set(app.clientId, app);
      return {
        status: 200,
        body: {
          id: String(this.apps.size),
          name,
          website: p.get('website'),
          redirect_uri: app.redirectUris.join('\n'),
          redirect_uris: app.redirectUris,
          scopes: app.scopes.split(' '),
          client_id: app.clientId,
          client_secret: app.clientSecret,
        },
      };
    });

    // Mastodon answers the authorize URL with a consent page; the person's Authorize posts the form
    // back (POST /oauth/authorize), Deny sends it as DELETE (Rails' `_method=delete`).
    http.route('GET', '/oauth/authorize', 'oauth.authorize', (req) => {
      const grant = this.readGrant(req.query);
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: consentPage(grant.app.name, grant.scope, req.query) };
    });

    http.route('POST', '/oauth/authorize', 'oauth.decide', (req) => {
      const form = parseForm(req.body);
      const grant = this.readGrant(form);
      const target = new URL(grant.redirectUri);
      if (form.get('_method') === 'delete') {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', 'The resource owner or authorization server denied the request.');
      } else {
        const code = randomBytes(16).toString('base64url');
        this.codes.set(code, { clientId: grant.app.clientId, redirectUri: grant.redirectUri, scope: grant.scope, challenge: grant.challenge });
        target.searchParams.set('code', code);
      }
      if (form.get('state')) target.searchParams.set('state', form.get('state') ?? '');
      return { status: 302, headers: { location: target.toString() } };
    });

    http.route('POST', '/oauth/token', 'oauth.token', (req) => {
      const p = readParams(req.body, req.headers['content-type']);
      const app = this.apps.get(p.get('client_id') ?? '');
      if (!app || app.clientSecret !== p.get('client_secret')) {
        throw new HttpFailure(401, {
          error: 'invalid_client',
          error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
        });
      }
      const code = this.codes.get(p.get('code') ?? '');
      this.codes.delete(p.get('code') ?? '');
      const verifierOk =
        !code?.challenge || createHash('sha256').update(p.get('code_verifier') ?? '').digest('base64url') === code.challenge;
      if (p.get('grant_type') !== 'authorization_code' || !code || code.clientId !== app.clientId || !verifierOk || code.redirectUri !== p.get('redirect_uri')) {
        throw new HttpFailure(400, {
          error: 'invalid_grant',
          error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        });
      }
      const token = randomBytes(24).toString('base64url');
      this.tokens.set(token, { clientId: app.clientId, scope: code.scope });
      return {
        status: 200,
        body: { access_token: token, token_type: 'Bearer', scope: code.scope, created_at: Math.floor(this.now() / 1000) },
      };
    });

    http.route('POST', '/oauth/revoke', 'oauth.revoke', (req) => {
      const p = readParams(req.body, req.headers['content-type']);
      this.tokens.delete(p.get('token') ?? '');
      return { status: 200, body: {} };
    });

    http.route('GET', '/api/v1/accounts/verify_credentials', 'accounts.verify', (req) => {
      return { status: 200, body: this.authorize(req.headers) };
    });
  }
}
