import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * What a leftover `postmaster.pid` in a data directory means:
 * - `none`: no lock file;
 * - `stale`: the recorded process is gone, or its pid now belongs to something that is not
 *   PostgreSQL (pid reuse after a container restart) — safe to delete;
 * - `orphan`: a postgres for this directory still runs but its parent is gone (our process
 *   crashed) — safe to shut down;
 * - `running`: a postgres for this directory runs under a live parent — another process owns it.
 */
export type LockState =
  | { kind: 'none' }
  | { kind: 'stale'; pid: number }
  | { kind: 'orphan'; pid: number }
  | { kind: 'running'; pid: number };

export async function inspectPostmasterLock(dataDir: string): Promise<LockState> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  const content = await readFile(lockFile, 'utf8').catch(() => undefined);
  if (content === undefined) return { kind: 'none' };
  const [pidLine, dirLine] = content.split('\n');
  const pid = Number.parseInt(pidLine ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale', pid: 0 };
  if (!(await hasProcfs())) return isAlive(pid) ? { kind: 'running', pid } : { kind: 'stale', pid };
  const comm = await processName(pid);
  if (comm === undefined || !comm.startsWith('postgres') || path.resolve(dirLine ?? '') !== path.resolve(dataDir)) {
    return { kind: 'stale', pid };
  }
  const parent = await parentPid(pid);
  const parentName = parent === undefined || parent <= 1 ? undefined : await processName(parent);
  return parentName === 'node' ? { kind: 'running', pid } : { kind: 'orphan', pid };
}

export async function removePostmasterLock(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
}

/** Asks an orphaned postmaster for a fast shutdown and waits until it has exited. */
export async function shutDownOrphan(pid: number, timeoutMs = 30_000): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while ((await processName(pid)) !== undefined) {
    if (Date.now() > deadline) throw new Error(`orphaned PostgreSQL (pid ${pid}) did not stop within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function hasProcfs(): Promise<boolean> {
  return (await readFile('/proc/self/stat', 'utf8').catch(() => undefined)) !== undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function processName(pid: number): Promise<string | undefined> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined);
  if (comm === undefined) return undefined;
  const state = await procStat(pid);
  // A zombie has exited; it only waits for its parent to reap it.
  return state?.state === 'Z' ? undefined : comm.trim();
}

async function parentPid(pid: number): Promise<number | undefined> {
  return (await procStat(pid))?.ppid;
}

async function procStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // Format: "pid (comm) state ppid ..." — comm may contain spaces, so split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number.parseInt(fields[1] ?? '', 10) };
}
