import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { ownNats, ownPostgres } from './distributed-infra';
import { ManagedProcess } from './managed-process';
import { freePort, httpOk } from './net';
import { productEnv, type Target } from './target';

// The services' V8 flags, as deploy/ and `npm start` give them (one source: tools/service-node-flags.cjs).
const flags = require(path.resolve(__dirname, '..', '..', 'tools', 'service-node-flags.cjs')) as Record<string, string[]>;

/** The services a chaos run needs, with their entry (as deploy/compose starts them). */
const SERVICES: { name: string; main: string; service: string }[] = [
  { name: 'gateway', main: 'dist/gateway/main.js', service: 'gateway' },
  { name: 'scheduler', main: 'dist/services/scheduler/main.js', service: 'scheduler' },
  { name: 'publisher', main: 'dist/services/publisher/main.js', service: 'publisher' },
];

/**
 * Distributed mode: one process per service (SX_MODE=distributed, SX_SERVICE=<name>) on a NATS server and a
 * PostgreSQL cluster this run started itself (free ports, temp dirs), so both can be crashed too.
 */
export async function distributedTarget(root: string, runDir: string, leaseMs: number): Promise<Target> {
  const nats = await ownNats(runDir);
  const processes = new Map<string, ManagedProcess>();
  let pgUrl = '';
  const clockFile = path.join(runDir, 'clock-offset');
  const dataDir = path.join(runDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const credentialKeys = `chaos:${randomBytes(32).toString('base64')}`;
  const ports = new Map<string, number>();
  for (const s of SERVICES) ports.set(s.name, await freePort());
  const apiBase = `http://127.0.0.1:${ports.get('gateway')}`;
  return {
    mode: 'distributed',
    apiBase,
    clockFile,
    processes,
    async start() {
      await nats.proc.start();
      processes.set('nats', nats.proc);
      const pg = await ownPostgres(runDir);
      pgUrl = pg.url;
      processes.set('postgres', pg.proc);
      for (const s of SERVICES) {
        const port = ports.get(s.name) as number;
        const env = productEnv({
          SX_MODE: 'distributed',
          SX_SERVICE: s.service,
          SX_PORT: String(port),
          SX_PUBLIC_URL: apiBase,
          SX_DATA_DIR: dataDir,
          SX_DATABASE_URL: pgUrl,
          SX_NATS_URL: nats.url,
          SX_CREDENTIAL_KEYS: credentialKeys,
          SX_SCHEDULER_LEASE_MS: String(leaseMs),
          ...(s.name === 'scheduler' ? { SX_TEST_CLOCK_OFFSET_FILE: clockFile } : {}),
        });
        const proc = new ManagedProcess(
          {
            name: s.name,
            command: process.execPath,
            args: [...(flags[s.name] ?? []), '--enable-source-maps', path.join(root, s.main)],
            env,
            cwd: root,
            ready: () => httpOk(`http://127.0.0.1:${port}/ready`),
            readyTimeoutMs: 120_000,
          },
          path.join(runDir, `${s.name}.log`),
        );
        processes.set(s.name, proc);
      }
      // Each service runs its own migrations; start them one after the other.
      for (const s of SERVICES) await (processes.get(s.name) as ManagedProcess).start();
    },
    databaseUrl: async () => pgUrl,
    async stop() {
      for (const s of [...SERVICES].reverse()) await processes.get(s.name)?.stop();
      await processes.get('nats')?.stop();
      await processes.get('postgres')?.stop();
      for (const p of processes.values()) p.close();
    },
  };
}
