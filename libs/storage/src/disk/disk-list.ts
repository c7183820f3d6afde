import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ObjectSummary } from '../object-storage';
import type { DiskLayout } from './disk-layout';

/**
 * Walks `objects/` in ascending key order without collecting the whole listing: within a folder,
 * a sub-folder sorts as `name/`, which is exactly where its keys fall in byte order.
 */
export async function* listObjects(layout: DiskLayout, prefix: string): AsyncIterable<ObjectSummary> {
  const cut = prefix.lastIndexOf('/');
  const startDir = cut < 0 ? '' : prefix.slice(0, cut);
  yield* walk(layout, startDir, prefix);
}

async function* walk(layout: DiskLayout, relDir: string, prefix: string): AsyncIterable<ObjectSummary> {
  const abs = relDir === '' ? layout.objectsDir : path.join(layout.objectsDir, ...relDir.split('/'));
  const entries = await readdir(abs, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [] as Dirent[];
    throw e;
  });
  const sortKey = (d: Dirent): string => (d.isDirectory() ? `${d.name}/` : d.name);
  entries.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  for (const entry of entries) {
    const key = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    if (entry.isDirectory()) {
      const asPrefix = `${key}/`;
      if (asPrefix.startsWith(prefix) || prefix.startsWith(asPrefix)) yield* walk(layout, key, prefix);
      continue;
    }
    if (!entry.isFile() || !key.startsWith(prefix)) continue;
    const [st, sidecar] = await Promise.all([
      stat(path.join(abs, entry.name)).catch(() => undefined),
      layout.readSidecar(key),
    ]);
    if (!st || !sidecar) continue;
    yield { key, size: st.size, etag: sidecar.etag, lastModified: st.mtime };
  }
}
