import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { grantTraverse } from './traverse-access';

describe('grantTraverse', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'sx-traverse-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('adds o+x (and nothing else) to every ancestor lacking it, once', async () => {
    const inner = path.join(base, 'home', 'project', 'data');
    await mkdir(inner, { recursive: true });
    await chmod(base, 0o700);
    await chmod(path.join(base, 'home'), 0o750);
    const mode = async (p: string) => (await stat(p)).mode & 0o777;
    const before = await mode(path.join(base, 'home', 'project'));

    expect(await grantTraverse([inner])).toEqual([base, path.join(base, 'home')]);
    expect(await mode(base)).toBe(0o701);
    expect(await mode(path.join(base, 'home'))).toBe(0o751);
    expect(await mode(path.join(base, 'home', 'project'))).toBe(before);
    expect(await grantTraverse([inner])).toEqual([]);
  });

  it('skips paths that do not exist yet', async () => {
    await chmod(base, 0o700);
    expect(await grantTraverse([path.join(base, 'not', 'yet')])).toEqual([base]);
  });
});
