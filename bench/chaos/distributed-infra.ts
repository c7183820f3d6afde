import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { ManagedProcess } from './managed-process';
import { freePort } from './net';

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** TCP open is not enough: a PostgreSQL in crash recovery answers "the database system is starting up". */
async function acceptsQueries(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A nats-server with JetStream that this run started on a free port (never the machine's shared 4222). */
export async function ownNats(runDir: string): Promise<{ proc: ManagedProcess; url: string }> {
  const port = await freePort();
  const store = path.join(runDir, 'nats');
  mkdirSync(store, { recursive: true });
  const proc = new ManagedProcess(
    { name: 'nats', command: 'nats-server', args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], ready: () => tcpOpen(port), readyTimeoutMs: 20_000 },
    path.join(runDir, 'nats.log'),
  );
  return { proc, url: `nats://127.0.0.1:${port}` };
}

function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/**
 * A throwaway PostgreSQL cluster (initdb on a free port, trust auth, loopback only) that this run owns, so it
 * may crash it: `pg_ctl stop -m immediate` (no shutdown checkpoint; crash recovery at the next start).
 */
export async function ownPostgres(runDir: string): Promise<{ proc: ManagedProcess; url: string }> {
  const port = await freePort();
  const dir = path.join(runDir, 'pg');
  const user = postgresUser();
  mkdirSync(dir, { recursive: true });
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid ?? user.uid);
  execFileSync('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...user, stdio: 'ignore' });
  const asPg = { ...user };
  const proc = new ManagedProcess(
    {
      name: 'postgres',
      command: 'postgres',
      args: ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=200', '-c', 'fsync=on'],
      ...asPg,
      ready: () => acceptsQueries(`postgres://postgres@127.0.0.1:${port}/postgres`),
      readyTimeoutMs: 60_000,
      crash: async (p) => {
        execFileSync('pg_ctl', ['stop', '-D', dir, '-m', 'immediate'], { ...asPg, stdio: 'ignore' });
        await p.waitExit(20_000);
      },
    },
    path.join(runDir, 'postgres.log'),
  );
  await proc.start();
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE schedulerx');
  await admin.end();
  return { proc, url: `postgres://postgres@127.0.0.1:${port}/schedulerx` };
}
