import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyRing {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** Stored form of one secret: the data key wrapped by a key-encryption key, and the sealed data. */
export interface SealedSecret {
  keyId: string;
  wrappedKey: Buffer;
  ciphertext: Buffer;
}

const IV = 12;
const TAG = 16;

function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(sealed.subarray(IV, IV + TAG));
  return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()]);
}

/** Raised when a secret cannot be opened (unknown key id, tampered or moved row). Never carries the data. */
export class CredentialDecryptError extends Error {
  constructor(reason: string) {
    super(`stored credentials cannot be decrypted: ${reason}`);
    this.name = 'CredentialDecryptError';
  }
}

/**
 * Envelope encryption with AES-256-GCM: each secret gets a fresh data key; the data key is wrapped
 * by the active key-encryption key, whose id is stored with the row. `aad` binds the ciphertext to
 * its row (e.g. `account:<workspace>:<id>`), so a sealed value copied to another row does not open.
 */
export class CredentialCipher {
  constructor(private readonly ring: KeyRing) {}

  get activeKeyId(): string {
    return this.ring.activeKeyId;
  }

  encrypt(value: unknown, aad: string): SealedSecret {
    const kek = this.kek(this.ring.activeKeyId);
    const dek = randomBytes(32);
    try {
      return {
        keyId: this.ring.activeKeyId,
        wrappedKey: seal(kek, dek, `dek:${aad}`),
        ciphertext: seal(dek, Buffer.from(JSON.stringify(value), 'utf8'), aad),
      };
    } finally {
      dek.fill(0);
    }
  }

  decrypt<T = unknown>(sealed: SealedSecret, aad: string): T {
    const kek = this.kek(sealed.keyId);
    let dek: Buffer | undefined;
    try {
      dek = open(kek, sealed.wrappedKey, `dek:${aad}`);
      return JSON.parse(open(dek, sealed.ciphertext, aad).toString('utf8')) as T;
    } catch {
      throw new CredentialDecryptError('authentication failed');
    } finally {
      dek?.fill(0);
    }
  }

  /** True when the row should be re-wrapped with the active key. */
  needsRotation(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.ring.activeKeyId;
  }

  /** Re-encrypts a secret under the active key with a fresh data key (the rotation command uses it). */
  reencrypt(sealed: SealedSecret, aad: string): SealedSecret {
    return this.encrypt(this.decrypt(sealed, aad), aad);
  }

  private kek(id: string): Buffer {
    const k = this.ring.keys.get(id);
    if (!k) throw new CredentialDecryptError(`key "${id}" is not in the key ring`);
    return k;
  }
}
