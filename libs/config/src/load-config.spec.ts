import { loadConfig, ConfigError } from './load-config';

describe('loadConfig', () => {
  it('defaults to embedded mode on :8080 with disk storage and the in-process bus', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('embedded');
    expect(c.http.port).toBe(8080);
    expect(c.storage.driver).toBe('disk');
    expect(c.bus.driver).toBe('postgres');
    expect(c.plugins.maxAttempts).toBe(3);
  });

  it('names every bad variable and never echoes its value', () => {
    let err: unknown;
    try {
      loadConfig({ SX_PORT: 'eighty', SX_MODE: 'cloud', SX_S3_SECRET_KEY: 'supersecret', SX_STORAGE: 's3' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('SX_PORT');
    expect(msg).toContain('SX_MODE');
    expect(msg).not.toContain('supersecret');
  });

  it('requires a database URL in distributed mode and S3 settings for s3 storage', () => {
    expect(() => loadConfig({ SX_MODE: 'distributed' })).toThrow(/SX_DATABASE_URL/);
    expect(() => loadConfig({ SX_STORAGE: 's3' })).toThrow(/SX_S3_ENDPOINT/);
  });

  it('parses the credential key ring and rejects keys of the wrong length', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({ SX_CREDENTIAL_KEYS: `k1:${key}` });
    expect(c.credentials.activeKeyId).toBe('k1');
    expect(c.credentials.keys[0].key.length).toBe(32);
    expect(() => loadConfig({ SX_CREDENTIAL_KEYS: 'k1:c2hvcnQ=' })).toThrow(/32 bytes/);
  });

  it('caps access tokens at 15 minutes', () => {
    expect(() => loadConfig({ SX_ACCESS_TOKEN_TTL_S: '3600' })).toThrow(/SX_ACCESS_TOKEN_TTL_S/);
  });
});
