import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '@sx/config';
import { freePort } from '@sx/testing';
import { startEmbedded, type RunningPlatform } from './start-embedded';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Run {
  status: string;
  stages: { stage: string; status: string; output: Record<string, unknown> }[];
}

/**
 * "A folder is a platform": a plugin scaffolded by tools/new-plugin.cjs into a plugins directory,
 * declaring its own rendition target, gets renditions made to that target by the real pipeline,
 * which learns it from the publisher's plugin registry over the bus — nothing under services/ names it.
 */
describe('a scaffolded plugin with its own limits gets its renditions', () => {
  let dir: string;
  let platform: RunningPlatform | undefined;
  let token: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-dropin-'));
    fs.chmodSync(dir, 0o755);
    const plugins = path.join(dir, 'plugins');
    fs.mkdirSync(plugins);
    // Dependencies (zod) resolve the way they would for a folder dropped next to the repo's plugins.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(plugins, 'node_modules'));
    execFileSync(process.execPath, [path.join(ROOT, 'tools', 'new-plugin.cjs'), 'acme', 'Acme Clips', '--dir', plugins, '--no-project'], { stdio: 'pipe' });
    const pkgFile = path.join(plugins, 'acme', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    pkg.schedulerx.capabilities.push('image');
    pkg.schedulerx.media = { maxItems: 1, image: { maxBytes: 60_000, mimeTypes: ['image/webp'] } };
    pkg.schedulerx.renditions = { image: { format: 'webp', maxWidth: 300, maxHeight: 400, maxBytes: 20_000, aspect: { min: 1, max: 1 } } };
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));

    const config = loadConfig({
      SX_DATA_DIR: path.join(dir, 'data'),
      SX_PLUGINS_DIR: plugins,
      SX_PORT: String(await freePort()),
      SX_EMBEDDED_PG_PORT: String(await freePort()),
      SX_LOG_LEVEL: 'warn',
    });
    platform = await startEmbedded(config, path.join(dir, 'data'));
    const setup = await api('/api/auth/setup', 'POST', { email: 'owner@example.test', password: 'correct horse battery', displayName: 'Owner', workspaceName: 'Clips' });
    token = ((await setup.json()) as { accessToken: string }).accessToken;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  function api(route: string, method = 'GET', body?: unknown): Promise<Response> {
    return fetch(`${platform!.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('renders a square WebP under 20 kB, at most 300 px wide, for the scaffolded platform', async () => {
    const noise = Buffer.alloc(640 * 360 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const png = await sharp(noise, { raw: { width: 640, height: 360, channels: 3 } }).png().toBuffer();
    const upload = await fetch(`${platform!.url}/media/uploads?filename=clip.png&platforms=acme`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: png,
    });
    expect(upload.status).toBeLessThan(300);
    const { asset } = (await upload.json()) as { asset: { id: string } };
    let run: Run | undefined;
    for (let i = 0; i < 300 && !(run && ['succeeded', 'failed'].includes(run.status)); i++) {
      run = ((await (await api(`/api/pipeline/runs?assetId=${asset.id}`)).json()) as { items: Run[] }).items[0];
      if (!run || !['succeeded', 'failed'].includes(run.status)) await new Promise((r) => setTimeout(r, 100));
    }
    const renditions = run?.stages.find((s) => s.stage === 'renditions')?.output['renditions'] as { platform: string; key: string; mime: string; bytes: number; width: number; height: number }[];
    expect(renditions).toEqual([expect.objectContaining({ platform: 'acme', key: `renditions/${asset.id}/acme.webp`, mime: 'image/webp' })]);
    const [r] = renditions;
    // Square (aspect 1..1), inside 300×400, under 20 kB (noise compresses badly, so it may step down in size).
    expect(r.width).toBe(r.height);
    expect(r.width).toBeLessThanOrEqual(300);
    expect(r.width).toBeGreaterThan(100);
    expect(r.bytes).toBeLessThanOrEqual(20_000);
  });
});
