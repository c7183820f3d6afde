// com.atproto.server.{createSession,refreshSession,getSession} with HS256 JWTs carrying `exp`,
// like the reference PDS: expired access → 400 ExpiredToken, bad token → 400 InvalidToken,
// missing auth → 401 AuthenticationRequired, refresh rotates (the old refreshJwt is revoked).
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { ContractHttpServer, HttpFailure, parseJson } from '@sx/plugin-sdk';

export interface BskyAccount {
  did: string;
  handle: string;
  password: string;
}

export const ACCESS_TTL_S = 2 * 60 * 60;
const REFRESH_TTL_S = 90 * 24 * 60 * 60;
const LOGIN_LIMIT = 30;
const LOGIN_WINDOW_MS = 5 * 60 * 1000;

export class BskySessions {
  private readonly secret = randomBytes(32);
  private readonly revoked = new Set<string>();
  private logins = { start: 0, used: 0 };
  refreshCount = 0;
  loginCount = 0;
  /** Access tokens minted before the current generation count as expired (expireAll). */
  private generation = 0;

  constructor(
    private readonly accounts: BskyAccount[],
    private readonly now: () => number,
  ) {}

  /** Returns the DID behind a valid access token or throws the PDS's error. */
  authorize(headers: http.IncomingHttpHeaders): string {
    const claims = this.verify(headers, 'com.atproto.appPass');
    return claims.sub;
  }

  /** Mints a session directly (test setup), optionally already expired. */
  expireAll(): void {
    this.generation += 1;
  }

  mint(did: string, accessTtlS = ACCESS_TTL_S) {
    const iat = Math.floor(this.now() / 1000);
    const account = this.accounts.find((a) => a.did === did);
    return {
      accessJwt: this.sign({ scope: 'com.atproto.appPass', sub: did, iat, exp: iat + accessTtlS, gen: this.generation }, 'at+jwt'),
      refreshJwt: this.sign(
        { scope: 'com.atproto.refresh', sub: did, jti: randomBytes(16).toString('base64url'), iat, exp: iat + REFRESH_TTL_S },
        'refresh+jwt',
      ),
      handle: account?.handle ?? did,
      did,
      active: true,
    };
  }

  /** A service-auth token (what getServiceAuth issues) for `aud` and method `lxm`. */
  serviceToken(did: string, aud: string, lxm: string, exp: number): string {
    return this.sign({ iss: did, aud, lxm, exp, iat: Math.floor(this.now() / 1000) }, 'JWT');
  }

  /** Verifies a service-auth token for `aud`/`lxm` and returns its issuer DID. */
  verifyService(headers: http.IncomingHttpHeaders, aud: string, lxm: string): string {
    const token = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice(7) : '';
    const [head, payload, sig] = token.split('.');
    const expected = createHmac('sha256', this.secret).update(`${head}.${payload}`).digest('base64url');
    if (!payload || sig !== expected) throw new HttpFailure(401, { error: 'AuthenticationRequired', message: 'jwt signature does not match jwt issuer' });
    const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss: string; aud: string; lxm: string; exp: number };
    if (c.exp * 1000 <= this.now()) throw new HttpFailure(401, { error: 'AuthenticationRequired', message: 'jwt expired' });
    if (c.aud !== aud) throw new HttpFailure(401, { error: 'AuthenticationRequired', message: `jwt audience does not match service did` });
    if (c.lxm !== lxm) throw new HttpFailure(401, { error: 'AuthenticationRequired', message: 'bad jwt lexicon method ("lxm")' });
    return c.iss;
  }

  register(http: ContractHttpServer): void {
    http.route('GET', '/xrpc/com.atproto.server.getServiceAuth', 'getServiceAuth', (req) => {
      const did = this.authorize(req.headers);
      const aud = req.query.get('aud') ?? '';
      const lxm = req.query.get('lxm') ?? '';
      const exp = Number(req.query.get('exp') ?? Math.floor(this.now() / 1000) + 60);
      if (!aud.startsWith('did:')) throw new HttpFailure(400, { error: 'InvalidRequest', message: 'aud must be a DID' });
      if (exp * 1000 > this.now() + 60 * 60 * 1000) throw new HttpFailure(400, { error: 'BadExpiration', message: 'expiration is too far in the future' });
      return { status: 200, body: { token: this.serviceToken(did, aud, lxm, exp) } };
    });

    http.route('POST', '/xrpc/com.atproto.server.createSession', 'createSession', (req) => {
      const body = parseJson(req.body) as { identifier?: string; password?: string };
      const now = this.now();
      if (now >= this.logins.start + LOGIN_WINDOW_MS) this.logins = { start: now, used: 0 };
      const reset = String(Math.ceil((this.logins.start + LOGIN_WINDOW_MS) / 1000));
      const rl = { 'ratelimit-limit': String(LOGIN_LIMIT), 'ratelimit-reset': reset, 'ratelimit-policy': '30;w=300' };
      if (this.logins.used >= LOGIN_LIMIT) {
        throw new HttpFailure(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { ...rl, 'ratelimit-remaining': '0' });
      }
      this.logins.used += 1;
      const account = this.accounts.find(
        (a) => (a.handle === body.identifier || a.did === body.identifier) && a.password === body.password,
      );
      if (!account) throw new HttpFailure(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      this.loginCount += 1;
      return { status: 200, headers: { ...rl, 'ratelimit-remaining': String(LOGIN_LIMIT - this.logins.used) }, body: this.mint(account.did) };
    });

    http.route('POST', '/xrpc/com.atproto.server.refreshSession', 'refreshSession', (req) => {
      const claims = this.verify(req.headers, 'com.atproto.refresh');
      if (!claims.jti || this.revoked.has(claims.jti)) {
        throw new HttpFailure(400, { error: 'ExpiredToken', message: 'Token has been revoked' });
      }
      this.revoked.add(claims.jti);
      this.refreshCount += 1;
      return { status: 200, body: this.mint(claims.sub) };
    });

    http.route('GET', '/xrpc/com.atproto.server.getSession', 'getSession', (req) => {
      const did = this.authorize(req.headers);
      const account = this.accounts.find((a) => a.did === did);
      return { status: 200, body: { did, handle: account?.handle ?? did, active: true } };
    });

    http.route('GET', '/xrpc/com.atproto.identity.resolveHandle', 'resolveHandle', (req) => {
      const account = this.accounts.find((a) => a.handle === req.query.get('handle'));
      if (!account) throw new HttpFailure(400, { error: 'InvalidRequest', message: 'Unable to resolve handle' });
      return { status: 200, body: { did: account.did } };
    });
  }

  private verify(headers: http.IncomingHttpHeaders, scope: string): { sub: string; exp: number; jti?: string } {
    const auth = headers.authorization;
    if (!auth) throw new HttpFailure(401, { error: 'AuthenticationRequired', message: 'Authentication Required' });
    if (!auth.startsWith('Bearer ')) throw new HttpFailure(400, { error: 'InvalidToken', message: 'Malformed authorization header' });
    const [head, payload, sig] = auth.slice(7).split('.');
    const expected = createHmac('sha256', this.secret).update(`${head}.${payload}`).digest('base64url');
    if (!payload || sig !== expected) throw new HttpFailure(400, { error: 'InvalidToken', message: 'Token could not be verified' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; exp: number; scope: string; jti?: string; gen?: number };
    const stale = claims.gen !== undefined && claims.gen < this.generation;
    if (claims.exp * 1000 <= this.now() || stale) throw new HttpFailure(400, { error: 'ExpiredToken', message: 'Token has expired' });
    if (claims.scope !== scope) throw new HttpFailure(400, { error: 'InvalidToken', message: 'Bad token scope' });
    return claims;
  }

  private sign(claims: Record<string, unknown>, typ: string): string {
    const head = Buffer.from(JSON.stringify({ typ, alg: 'HS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const sig = createHmac('sha256', this.secret).update(`${head}.${payload}`).digest('base64url');
    return `${head}.${payload}.${sig}`;
  }
}
