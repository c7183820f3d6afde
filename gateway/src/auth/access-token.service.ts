import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTHeaderParameters, type CryptoKey } from 'jose';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { JWT_ALGORITHM, JwtKeysService } from './jwt-keys.service';
import { accessClaimsSchema, ACCESS_TOKEN_TYPE, MAX_TOKEN_LENGTH, type AccessClaims } from './token-claims';
import type { Role } from './principal';

export interface TokenSubject {
  userId: string;
  workspaceId: string;
  role: Role;
  sessionId: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

interface TokenKind {
  typ: string;
  audience: string;
  ttlS: number;
}

/** The one error every rejected token gets: the reason stays in the server, never in the response. */
export const invalidToken = (): AppError => new AppError('invalid_token', 'The access token is not valid', 401);

/**
 * Signs and verifies the gateway's JWTs. Verification pins everything: one algorithm (EdDSA), the
 * header `typ`, a known `kid`, issuer, audience, required claims, a lifetime no longer than the TTL,
 * and a size cap checked before the token is parsed at all.
 */
@Injectable()
export class AccessTokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keys: JwtKeysService,
  ) {}

  get accessKind(): TokenKind {
    return { typ: ACCESS_TOKEN_TYPE, audience: this.config.auth.audience, ttlS: this.config.auth.accessTokenTtlS };
  }

  issueAccess(subject: TokenSubject): Promise<IssuedToken> {
    return this.sign(subject, this.accessKind);
  }

  verifyAccess(token: string): Promise<AccessClaims> {
    return this.verify(token, this.accessKind);
  }

  /** `extra` claims are ours to read after verification (never iss/aud/exp-like registered names). */
  async sign(subject: TokenSubject, kind: TokenKind, extra: Record<string, string | number> = {}): Promise<IssuedToken> {
    const { kid, privateKey } = this.keys.signingKey();
    const nowS = Math.floor(this.clock.nowMs() / 1000);
    const expS = nowS + kind.ttlS;
    const token = await new SignJWT({ ...extra, wid: subject.workspaceId, role: subject.role, sid: subject.sessionId })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid, typ: kind.typ })
      .setIssuer(this.config.auth.issuer)
      .setAudience(kind.audience)
      .setSubject(subject.userId)
      .setJti(randomUUID())
      .setIssuedAt(nowS)
      .setNotBefore(nowS)
      .setExpirationTime(expS)
      .sign(privateKey);
    return { token, expiresAt: new Date(expS * 1000) };
  }

  async verify(token: string, kind: TokenKind): Promise<AccessClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw invalidToken();
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw invalidToken();
    const resolveKey = (header: JWTHeaderParameters): CryptoKey => {
      if (header.alg !== JWT_ALGORITHM || typeof header.kid !== 'string') throw invalidToken();
      const key = this.keys.verificationKey(header.kid);
      if (!key) throw invalidToken();
      return key;
    };
    try {
      const { payload } = await jwtVerify(token, resolveKey, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.config.auth.issuer,
        audience: kind.audience,
        typ: kind.typ,
        currentDate: this.clock.now(),
        maxTokenAge: kind.ttlS,
        clockTolerance: 5,
        requiredClaims: ['iss', 'aud', 'sub', 'jti', 'iat', 'nbf', 'exp'],
      });
      const claims = accessClaimsSchema.safeParse(payload);
      if (!claims.success) throw invalidToken();
      // A token whose own lifetime exceeds the TTL was not minted by us, whatever it says.
      if (claims.data.exp - claims.data.iat > kind.ttlS) throw invalidToken();
      return claims.data;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw invalidToken();
    }
  }
}
