import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '@sx/config';
import { freePort } from '@sx/testing';
import { startEmbedded, type RunningPlatform } from './start-embedded';

interface Run {
  id: string;
  status: string;
  assetId: string | null;
  stages: { stage: string; status: string; output: Record<string, unknown> }[];
}

/**
 * The seeds' content flow through the real services in one process: upload an image → media validates it
 * and emits media.ready → the pipeline runs the default stages → the AI stage asks ai-templates, which uses
 * the seed template and the offline provider → the run finishes with title, caption and hashtags.
 */
describe('embedded content flow: upload → pipeline → AI metadata', () => {
  let dir: string;
  let platform: RunningPlatform | undefined;
  let token: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-flow-'));
    fs.chmodSync(dir, 0o755);
    const config = loadConfig({
      SX_DATA_DIR: dir,
      SX_PORT: String(await freePort()),
      SX_EMBEDDED_PG_PORT: String(await freePort()),
      SX_LOG_LEVEL: 'warn',
    });
    platform = await startEmbedded(config, dir);
    const setup = await api('/api/auth/setup', 'POST', {
      email: 'owner@example.test',
      password: 'correct horse battery',
      displayName: 'Owner',
      workspaceName: 'Clips',
    });
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

  it('gives an uploaded clip a title, caption and hashtags from the active template', async () => {
    const png = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#224488' } }).png().toBuffer();
    const upload = await fetch(`${platform!.url}/media/uploads?filename=epic_clutch_round.png&platforms=bluesky`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: png,
    });
    expect(upload.status).toBeLessThan(300);
    const uploaded = (await upload.json()) as { asset: { id: string; status: string } };
    expect(uploaded.asset.status).toBe('ready');

    let run: Run | undefined;
    for (let i = 0; i < 300 && !(run && ['succeeded', 'failed'].includes(run.status)); i++) {
      const list = (await (await api(`/api/pipeline/runs?assetId=${uploaded.asset.id}`)).json()) as { items: Run[] };
      run = list.items[0];
      if (!run || !['succeeded', 'failed'].includes(run.status)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(run?.status).toBe('succeeded');
    const stages = Object.fromEntries(run!.stages.map((s) => [s.stage, s]));
    expect(stages['renditions'].output['renditions']).toEqual([expect.objectContaining({ platform: 'bluesky', mime: 'image/jpeg' })]);
    expect(stages['ai-metadata'].output).toMatchObject({ title: 'Epic Clutch Round | Gaming', provider: 'offline', offline: true });
    expect((stages['ai-metadata'].output['hashtags'] as string[]).length).toBeGreaterThanOrEqual(10);
    // Uploads are not auto-scheduled (only watch-folder clips are): the hand-off stage says so.
    expect(stages['schedule'].status).toBe('skipped');
  });
});
