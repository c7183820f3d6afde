import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { sleep } from './net';
import * as path from 'node:path';
import { ManagedProcess } from './managed-process';
import { freePort, httpOk } from './net';
import { productEnv, type Target } from './target';

/** Embedded mode as `npm start` runs it: one process (dist/services/embedded/main.js), its own data dir and ports. */
export async function embeddedTarget(root: string, runDir: string, leaseMs: number): Promise<Target> {
  const dataDir = path.join(runDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  // As root, the embedded PostgreSQL runs as the postgres user, which must reach its folder.
  for (let d = dataDir; d !== path.dirname(d); d = path.dirname(d)) {
    if (d.startsWith(runDir) || d === runDir) chmodSync(d, 0o755);
  }
  const port = await freePort();
  const pgPort = await freePort();
  const apiBase = `http://127.0.0.1:${port}`;
  const clockFile = path.join(runDir, 'clock-offset');
  const env = productEnv({
    SX_PORT: String(port),
    SX_PUBLIC_URL: apiBase,
    SX_DATA_DIR: dataDir,
    SX_EMBEDDED_PG_PORT: String(pgPort),
    SX_SCHEDULER_LEASE_MS: String(leaseMs),
    SX_TEST_CLOCK_OFFSET_FILE: clockFile,
  });
  const proc = new ManagedProcess(
    {
      name: 'embedded',
      command: process.execPath,
      args: ['--enable-source-maps', path.join(root, 'dist/services/embedded/main.js')],
      env,
      cwd: root,
      ready: () => httpOk(`${apiBase}/ready`),
      readyTimeoutMs: 180_000,
    },
    path.join(runDir, 'embedded.log'),
  );
  return {
    mode: 'embedded',
    apiBase,
    clockFile,
    processes: new Map([['embedded', proc]]),
    start: () => proc.start(),
    async databaseUrl() {
      const password = readFileSync(path.join(dataDir, 'pg', 'sx-superuser-password'), 'utf8').trim();
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/schedulerx`;
    },
    async stop() {
      await proc.stop(30_000);
      proc.close();
      await stopOrphanPostgres(path.join(dataDir, 'pg'));
    },
  };
}

/** If the app died at the end of a run, the PostgreSQL it started in this run's folder is left orphaned: stop it. */
async function stopOrphanPostgres(pgDir: string): Promise<void> {
  let pid = 0;
  try {
    pid = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(pgDir)) return;
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // no lock file or no such process: nothing left running
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
}
