/**
 * @jest-environment node
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// The generator runs in plain Node (openapi-typescript's dependencies are ESM, which jest's CommonJS runtime cannot load).
const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const SCRIPT = path.join(ROOT, 'dashboard', 'scripts', 'api-types.ts');
const DOCUMENT = path.join(ROOT, 'gateway', 'openapi.json');
const TYPES = path.join(ROOT, 'dashboard', 'src', 'app', 'core', 'api', 'openapi.d.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runGenerator(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', SCRIPT, ...args],
      { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'dashboard', 'tsconfig.spec.json') }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('generated API types (dashboard/src/app/core/api/openapi.d.ts)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sx-api-types-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are up to date with gateway/openapi.json (when this fails: npx nx run dashboard:api-types)', async () => {
    const run = await runGenerator(['--check']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('are reported stale when the document changes, and regenerate to match it', async () => {
    const doc = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as { paths: Record<string, unknown> };
    doc.paths['/api/brand-new'] = { get: { operationId: 'BrandNew_get', responses: { 200: { description: '' } } } };
    const changed = path.join(dir, 'openapi.json');
    writeFileSync(changed, JSON.stringify(doc));

    const stale = await runGenerator(['--check', '--document', changed, '--types', TYPES]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('is stale');

    const out = path.join(dir, 'openapi.d.ts');
    expect((await runGenerator(['--document', changed, '--types', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('BrandNew_get');
    expect((await runGenerator(['--check', '--document', changed, '--types', out])).code).toBe(0);
  });
});
