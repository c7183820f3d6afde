// Test harness: a real @atproto/pds (0.4.x) with an in-process PLC directory (@did-plc/server with
// its in-memory mock DB), both on free loopback ports with a temporary data directory.
// Recipe from ../shared/INFRA.md §1; the PDS config is passed as an object, not through env vars.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface LocalPds {
  /** e.g. http://localhost:41234 */
  url: string;
  plcUrl: string;
  createAccount(handle: string, password: string): Promise<{ did: string; handle: string }>;
  /** Creates an app password for the account (what the plugin connects with). */
  createAppPassword(identifier: string, password: string, name: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startLocalPds(): Promise<LocalPds> {
  const [{ PDS, envToCfg, envToSecrets }, plc, { Secp256k1Keypair }, { AtpAgent }] = await Promise.all([
    import('@atproto/pds'),
    import('@did-plc/server'),
    import('@atproto/crypto'),
    import('@atproto/api'),
  ]);
  const dataDir = await mkdtemp(join(tmpdir(), 'sx-pds-'));
  const plcPort = await freePort();
  const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: plcPort });
  await plcServer.start();
  const plcUrl = `http://127.0.0.1:${plcPort}`;
  const port = await freePort();
  const rotationKey = await Secp256k1Keypair.create({ exportable: true });
  const env = {
    hostname: 'localhost',
    port,
    devMode: true,
    dataDirectory: dataDir,
    blobstoreDiskLocation: join(dataDir, 'blobs'),
    jwtSecret: randomBytes(16).toString('hex'),
    adminPassword: randomBytes(16).toString('hex'),
    inviteRequired: false,
    didPlcUrl: plcUrl,
    plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString('hex'),
    rateLimitsEnabled: false,
    rateLimitBypassIps: [],
  };
  const pds = await PDS.create(envToCfg(env), envToSecrets(env));
  await pds.start();
  const url = `http://localhost:${port}`;
  return {
    url,
    plcUrl,
    async createAccount(handle, password) {
      const agent = new AtpAgent({ service: url });
      const res = await agent.com.atproto.server.createAccount({ handle, password, email: `${handle}@example.test` });
      return { did: res.data.did, handle: res.data.handle };
    },
    async createAppPassword(identifier, password, name) {
      const agent = new AtpAgent({ service: url });
      await agent.login({ identifier, password });
      const res = await agent.com.atproto.server.createAppPassword({ name });
      return res.data.password;
    },
    async stop() {
      await pds.destroy();
      await plcServer.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
