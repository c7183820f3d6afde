import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@sx/config';
import { CredentialCipher, CredentialDecryptError } from './credential-cipher';
import { loadKeyRing } from './key-ring';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('CredentialCipher', () => {
  const secret = { accessToken: 'at-very-secret', refreshToken: 'rt-very-secret' };

  it('round-trips, stores the key id and never leaves the secret in the ciphertext', () => {
    const c = new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = c.encrypt(secret, 'account:w:1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('very-secret');
    expect(c.decrypt(sealed, 'account:w:1')).toEqual(secret);
  });

  it('refuses a value moved to another row or tampered with', () => {
    const c = new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = c.encrypt(secret, 'account:w:1');
    expect(() => c.decrypt(sealed, 'account:w:2')).toThrow(CredentialDecryptError);
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext) };
    tampered.ciphertext[tampered.ciphertext.length - 1] ^= 1;
    expect(() => c.decrypt(tampered, 'account:w:1')).toThrow(CredentialDecryptError);
  });

  it('re-encrypts under the new active key; the old key can then be removed', () => {
    const old = new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = old.encrypt(secret, 'a');
    const both = new CredentialCipher({ activeKeyId: 'k2', keys: new Map([['k1', k1], ['k2', k2]]) });
    expect(both.needsRotation(sealed)).toBe(true);
    const rotated = both.reencrypt(sealed, 'a');
    expect(rotated.keyId).toBe('k2');
    expect(rotated.wrappedKey.equals(sealed.wrappedKey)).toBe(false);
    const onlyNew = new CredentialCipher({ activeKeyId: 'k2', keys: new Map([['k2', k2]]) });
    expect(onlyNew.decrypt(rotated, 'a')).toEqual(secret);
    expect(() => onlyNew.decrypt(sealed, 'a')).toThrow(/not in the key ring/);
  });
});

describe('loadKeyRing', () => {
  it('generates a 0600 key file in embedded mode, logs its path but not the key, and reuses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sx-keys-'));
    const lines: string[] = [];
    const log = { info: (o: Record<string, unknown>, m: string) => lines.push(JSON.stringify({ ...o, m })) };
    const config = loadConfig({ SX_DATA_DIR: dir });
    const ring = await loadKeyRing(config, log);
    const file = path.join(dir, 'credential-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const content = await readFile(file, 'utf8');
    expect(lines.join()).toContain(file);
    expect(lines.join()).not.toContain(content.split(':')[1].trim());
    const again = await loadKeyRing(config, log);
    expect(again.activeKeyId).toBe(ring.activeKeyId);
    expect(lines).toHaveLength(1);
  });

  it('uses SX_CREDENTIAL_KEYS and requires keys in distributed mode', async () => {
    const config = loadConfig({ SX_CREDENTIAL_KEYS: `a:${k1.toString('base64')},b:${k2.toString('base64')}`, SX_CREDENTIAL_ACTIVE_KEY: 'b' });
    const ring = await loadKeyRing(config, { info: () => undefined });
    expect(ring.activeKeyId).toBe('b');
    expect(ring.keys.size).toBe(2);
    const dist = loadConfig({ SX_MODE: 'distributed', SX_DATABASE_URL: 'postgres://x@h/db' });
    await expect(loadKeyRing(dist, { info: () => undefined })).rejects.toThrow(/SX_CREDENTIAL_KEYS/);
  });
});
