import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '@sx/config';
import type { KeyRing } from './credential-cipher';

export interface KeyRingLog {
  info(obj: Record<string, unknown>, msg: string): void;
}

const KEY_FILE = 'credential-key';

/**
 * The key ring from SX_CREDENTIAL_KEYS. In embedded mode without keys, a key is generated once
 * into `<dataDir>/credential-key` (mode 0600) and reused; the log line names the file, never the key.
 * Distributed mode without keys is a configuration error.
 */
export async function loadKeyRing(config: AppConfig, log: KeyRingLog): Promise<KeyRing> {
  const { keys, activeKeyId } = config.credentials;
  if (keys.length) {
    const active = activeKeyId ?? keys[0].id;
    if (!keys.some((k) => k.id === active)) throw new Error(`SX_CREDENTIAL_ACTIVE_KEY names "${active}", which is not in SX_CREDENTIAL_KEYS`);
    return { activeKeyId: active, keys: new Map(keys.map((k) => [k.id, k.key])) };
  }
  if (config.mode !== 'embedded') throw new Error('SX_CREDENTIAL_KEYS is required in distributed mode');
  const file = path.join(config.dataDir, KEY_FILE);
  let line: string;
  try {
    line = (await fs.readFile(file, 'utf8')).trim();
  } catch {
    await fs.mkdir(config.dataDir, { recursive: true });
    line = `local-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
    await fs.writeFile(file, `${line}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
      line = (await fs.readFile(file, 'utf8')).trim();
    });
    log.info({ file }, 'generated a credential encryption key (no SX_CREDENTIAL_KEYS set); back this file up');
  }
  const [id, b64] = line.split(':');
  const key = Buffer.from(b64 ?? '', 'base64');
  if (!id || key.length !== 32) throw new Error(`${file} is not a valid key file (expected "<id>:<base64 32 bytes>")`);
  return { activeKeyId: id, keys: new Map([[id, key]]) };
}
