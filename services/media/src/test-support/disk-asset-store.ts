import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { AssetStore } from '../ports';

/** Test double of AssetStore on a temp dir, real files so range reads and "nothing left behind" are checkable. */
export class DiskAssetStore implements AssetStore {
  constructor(readonly root: string) {}

  private file(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }
  async putFile(key: string, file: string): Promise<void> {
    await mkdir(path.dirname(this.file(key)), { recursive: true });
    await copyFile(file, this.file(key));
  }
  async putBuffer(key: string, body: Buffer): Promise<void> {
    await mkdir(path.dirname(this.file(key)), { recursive: true });
    await writeFile(this.file(key), body);
  }
  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return createReadStream(this.file(key), range ? { start: range.start, end: range.end } : {});
  }
  async stat(key: string): Promise<{ bytes: number } | null> {
    const s = await stat(this.file(key)).catch(() => null);
    return s ? { bytes: s.size } : null;
  }
  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
  async presignGet(): Promise<string | undefined> {
    return undefined;
  }
  /** Every stored file, relative to the root. */
  async listAll(dir = this.root): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) out.push(...(await this.listAll(full)));
      else out.push(path.relative(this.root, full));
    }
    return out;
  }
}
