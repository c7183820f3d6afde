import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type { MediaAccess, MediaRef } from './content';
import { RejectedError } from './errors';

function lookup<T extends { ref: MediaRef }>(items: readonly T[], id: string): T {
  const found = items.find((i) => i.ref.id === id);
  if (!found) throw new RejectedError(`media ${id} is not part of this post`);
  return found;
}

/** Media the host downloaded to local files for this call (what the plugin child process uses). */
export function fileMedia(items: readonly { ref: MediaRef; path: string }[]): MediaAccess {
  return {
    items: items.map((i) => i.ref),
    open: (id) => createReadStream(lookup(items, id).path),
    read: async (id) => fs.readFile(lookup(items, id).path),
  };
}

/** Media held in memory (tests and the conformance kit). */
export function inMemoryMedia(items: readonly { ref: MediaRef; bytes: Uint8Array }[]): MediaAccess {
  return {
    items: items.map((i) => i.ref),
    open: (id) => Readable.from([Buffer.from(lookup(items, id).bytes)]),
    read: async (id) => Buffer.from(lookup(items, id).bytes),
  };
}
