import { Inject, Injectable } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { CLOCK, type Clock } from '@sx/service-kit';

/** The only signature algorithm the gateway issues or accepts (Ed25519). */
export const JWT_ALGORITHM = 'EdDSA';

interface StoredKey {
  kid: string;
  createdAt: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

interface KeyFile {
  keys: StoredKey[];
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/**
 * Ed25519 signing keys, generated on first start into `<dataDir>/gateway/jwt-keys.json` (mode 0600,
 * directory 0700). Every key in the file verifies; the newest signs, so adding a key rotates without
 * logging anyone out. Replicas share the file (or the same volume) to share the keys.
 */
@Injectable()
export class JwtKeysService {
  private signing?: SigningKey;
  private readonly verifying = new Map<string, CryptoKey>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get keyFile(): string {
    return path.join(this.config.dataDir, 'gateway', 'jwt-keys.json');
  }

  async start(): Promise<void> {
    if (this.signing) return;
    const file = await this.loadOrCreate();
    for (const k of file.keys) {
      this.verifying.set(k.kid, (await importJWK(k.publicJwk, JWT_ALGORITHM)) as CryptoKey);
    }
    const newest = file.keys[file.keys.length - 1];
    this.signing = { kid: newest.kid, privateKey: (await importJWK(newest.privateJwk, JWT_ALGORITHM)) as CryptoKey };
  }

  signingKey(): SigningKey {
    if (!this.signing) throw new Error('JWT keys are not loaded');
    return this.signing;
  }

  /** The public key for `kid`, or undefined for an unknown kid. */
  verificationKey(kid: string): CryptoKey | undefined {
    return this.verifying.get(kid);
  }

  private async loadOrCreate(): Promise<KeyFile> {
    const existing = await fs.readFile(this.keyFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (existing !== undefined) {
      const stat = await fs.stat(this.keyFile);
      if ((stat.mode & 0o077) !== 0) await fs.chmod(this.keyFile, 0o600);
      const parsed = JSON.parse(existing) as KeyFile;
      if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error(`${this.keyFile} holds no keys`);
      return parsed;
    }
    const { privateKey, publicKey } = await generateKeyPair(JWT_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const kid = randomUUID();
    const file: KeyFile = {
      keys: [
        {
          kid,
          createdAt: this.clock.now().toISOString(),
          privateJwk: { ...(await exportJWK(privateKey)), kid, alg: JWT_ALGORITHM },
          publicJwk: { ...(await exportJWK(publicKey)), kid, alg: JWT_ALGORITHM },
        },
      ],
    };
    await fs.mkdir(path.dirname(this.keyFile), { recursive: true, mode: 0o700 });
    const tmp = `${this.keyFile}.${randomUUID()}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
    // link() fails if the file exists: of two processes racing on first start, the loser reads the winner's keys.
    try {
      await fs.link(tmp, this.keyFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      await fs.rm(tmp, { force: true });
      return this.loadOrCreate();
    }
    await fs.rm(tmp, { force: true });
    return file;
  }
}
