import { createHmac, createPrivateKey, createPublicKey, randomUUID, sign as edSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('forged and edge-case JWTs are all rejected', () => {
  let t: GatewayTestApp;
  let owner: SignedIn;
  let realKey: CryptoKey;
  let realKid: string;
  let realPrivate: import('node:crypto').KeyObject;
  let publicJwk: JWK;
  let claims: Record<string, unknown>;
  const forged: [string, () => Promise<string> | string][] = [];

  /** A token signed with the gateway's own private key (read from disk) but with the given header/claims. */
  const signReal = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: realKid, typ: 'at+jwt', ...header }).sign(realKey);
  const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) => `${b64(header)}.${b64(payload)}.`;
  const hmac = (alg: 'sha256' | 'sha512', name: string, secret: string | Buffer, payload = claims) => {
    const input = `${b64({ alg: name, kid: realKid, typ: 'at+jwt' })}.${b64(payload)}`;
    return `${input}.${createHmac(alg, secret).update(input).digest('base64url')}`;
  };
  const attacker = async (alg: 'RS256' | 'ES256' | 'EdDSA', kid = realKid) => {
    const { privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    return new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).sign(privateKey);
  };

  beforeAll(async () => {
    // Each forgery comes from its own address (via the trusted loopback proxy), so the failed-auth budget
    // per address (FailedAuthBudget) does not turn the later ones into 429s.
    t = await startGatewayTestApp({ env: { SX_TRUST_PROXY: 'loopback' } });
    owner = await setupOwner(t.http);
    const file = JSON.parse(readFileSync(`${t.dataDir}/gateway/jwt-keys.json`, 'utf8')) as {
      keys: { kid: string; privateJwk: JWK; publicJwk: JWK }[];
    };
    realKid = file.keys[0].kid;
    publicJwk = file.keys[0].publicJwk;
    realKey = (await importJWK(file.keys[0].privateJwk, 'EdDSA')) as CryptoKey;
    realPrivate = createPrivateKey({ key: file.keys[0].privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    claims = JSON.parse(Buffer.from(owner.accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(t.clock.nowMs() / 1000);
    const pem = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const [h, p, s] = owner.accessToken.split('.');
    forged.push(
      ['alg none', () => unsigned({ alg: 'none', typ: 'at+jwt' }, claims)],
      ['alg NONE (case variant)', () => unsigned({ alg: 'NONE', kid: realKid, typ: 'at+jwt' }, claims)],
      ['alg none with the real signature kept', () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.${s}`],
      ['HS256 keyed with the public key x coordinate', () => hmac('sha256', 'HS256', Buffer.from(String(publicJwk.x), 'base64url'))],
      ['HS256 keyed with the public JWK JSON', () => hmac('sha256', 'HS256', JSON.stringify(publicJwk))],
      ['HS512 keyed with the public key PEM (RS/HS confusion)', () => hmac('sha512', 'HS512', pem)],
      ['RS256 signed by an attacker key under the real kid', () => attacker('RS256')],
      ['ES256 signed by an attacker key under the real kid', () => attacker('ES256')],
      ['EdDSA signed by an attacker key under the real kid', () => attacker('EdDSA')],
      ['EdDSA signed by an attacker key under an unknown kid', () => attacker('EdDSA', randomUUID())],
      ['attacker key embedded in the jwk header', async () => {
        const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', jwk: await exportJWK(publicKey) }).sign(privateKey);
      }],
      ['real key, kid missing', () => new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' }).sign(realKey)],
      ['real key, wrong issuer', () => signReal({ ...claims, iss: 'evil' })],
      ['real key, wrong audience', () => signReal({ ...claims, aud: 'other-api' })],
      ['real key, audience missing', () => signReal({ ...claims, aud: undefined })],
      ['real key, expired', () => signReal({ ...claims, iat: now - 1000, nbf: now - 1000, exp: now - 100 })],
      ['real key, not yet valid (nbf)', () => signReal({ ...claims, nbf: now + 600, exp: now + 800 })],
      ['real key, issued in the future', () => signReal({ ...claims, iat: now + 600, nbf: now, exp: now + 900 })],
      ['real key, lifetime longer than 15 minutes', () => signReal({ ...claims, iat: now, exp: now + 3600 })],
      ['real key, exp missing', () => signReal({ ...claims, exp: undefined })],
      ['real key, sub missing', () => signReal({ ...claims, sub: undefined })],
      ['real key, unknown role', () => signReal({ ...claims, role: 'superadmin' })],
      ['real key, workspace claim missing', () => signReal({ ...claims, wid: undefined })],
      ['real key, session that does not exist', () => signReal({ ...claims, sid: randomUUID() })],
      ['real key, typ JWT instead of at+jwt', () => signReal(claims, { typ: 'JWT' })],
      ['real key, SSE ticket presented as access token', () => signReal({ ...claims, aud: 'schedulerx-api:sse' }, { typ: 'sse-ticket+jwt' })],
      ['real key, unknown critical header', () => {
        // jose refuses to sign this, so sign the raw bytes with the same Ed25519 key.
        const input = `${b64({ alg: 'EdDSA', kid: realKid, typ: 'at+jwt', crit: ['x-evil'], 'x-evil': true })}.${b64(claims)}`;
        return `${input}.${edSign(null, Buffer.from(input), realPrivate).toString('base64url')}`;
      }],
      ['real key, oversized (5 kB claim; 16 kB+ never passes Node header limit)', () => signReal({ ...claims, pad: 'x'.repeat(5_000) })],
      ['payload tampered to another role, signature kept', () => `${h}.${b64({ ...claims, role: 'admin', sub: randomUUID() })}.${s}`],
      ['signature stripped', () => `${h}.${p}.`],
      ['signature of another token', async () => `${h}.${p}.${(await signReal({ ...claims, jti: 'x' })).split('.')[2]}`],
      ['five-part JWE-shaped token', () => `${h}.${p}.${s}.${s}.${s}`],
      ['not a JWT at all', () => 'not-a-jwt'],
      ['empty bearer', () => ''],
    );
  });
  afterAll(() => t.close());

  it('accepts the genuine token (control)', async () => {
    await request(t.http).get('/api/me').set('authorization', `Bearer ${owner.accessToken}`).expect(200);
  });

  it('has at least 25 forgeries', () => {
    expect(forged.length).toBeGreaterThanOrEqual(25);
  });

  it('rejects every forgery with 401 and the coded error shape', async () => {
    const accepted: string[] = [];
    for (const [i, [name, make]] of forged.entries()) {
      const token = await make();
      const res = await request(t.http).get('/api/me').set('x-forwarded-for', `203.0.113.${i}`).set('authorization', `Bearer ${token}`);
      if (res.status !== 401 || typeof res.body.code !== 'string' || typeof res.body.correlationId !== 'string') {
        accepted.push(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('rejects a malformed Authorization header', async () => {
    for (const header of [`bearer ${owner.accessToken}`, `Bearer  ${owner.accessToken}`, `Basic ${owner.accessToken}`, owner.accessToken]) {
      const res = await request(t.http).get('/api/me').set('authorization', header);
      expect(res.status).toBe(401);
    }
  });
});
