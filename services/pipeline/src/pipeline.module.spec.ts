import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import sharp from 'sharp';
import { BusModule, EVENT_BUS, InProcessEventBus } from '@sx/bus';
import { loadConfig } from '@sx/config';
import {
  AiGenerate,
  MediaGet,
  MediaLocate,
  MediaReady,
  PipelineGetRun,
  PipelineListRuns,
  PipelineRun,
  PublisherAccountsList,
  PublisherPluginsList,
  SchedulerListPosts,
  SchedulerSchedulePost,
  SchedulerValidatePost,
  type CommandContext,
  type Envelope,
} from '@sx/contracts';
import { CoreModule, createMetricsRegistry, systemClock } from '@sx/service-kit';
import { DiskObjectStorage, OBJECT_STORAGE } from '@sx/storage';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { PipelineModule } from './pipeline.module';
import { PipelineService } from './runs/pipeline.service';

const ctx: CommandContext = { workspaceId: 'ws1', actorId: 'u1', role: 'editor', correlationId: 'corr-flow' };
const at = new Date().toISOString();
const hashtags = Array.from({ length: 10 }, (_, i) => `#tag${i}`);

describe('PipelineModule over the bus (default pipeline, auto-schedule)', () => {
  let db: TestDatabase;
  let dir: string;
  let app: INestApplicationContext;
  const bus = new InProcessEventBus();
  const events: Envelope[] = [];
  let scheduled = 0;
  let scheduledTargets: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-pipeline-'));
    const storage = DiskObjectStorage.openSync({ root: dir, presignBaseUrl: 'http://127.0.0.1/storage' });
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366cc' } }).png().toBuffer();
    await storage.put('assets/a1/original', Readable.from(png), { contentType: 'image/png' });
    await bus.start();
    await bus.tail('pipeline.>', (e) => events.push(e));
    const asset = {
      id: 'a1', filename: 'clutch_round.png', mime: 'image/png', kind: 'image' as const, bytes: png.length, sha256: null,
      status: 'ready' as const, statusCode: null, statusDetail: null, source: 'upload' as const, metadata: { width: 800, height: 600 },
      tags: [], platforms: ['bluesky', 'webhook'], createdAt: at, updatedAt: at, deletedAt: null, urls: { content: null, thumbnail: null },
    };
    await bus.handle(MediaGet, async (r, c) => (r.assetId === 'a1' && c.workspaceId === 'ws1' ? { ok: true, data: asset } : { ok: false, error: { code: 'not_found', message: 'no', status: 404 } }));
    await bus.handle(MediaLocate, async () => ({ ok: true, data: { key: 'assets/a1/original', mime: 'image/png', bytes: png.length } }));
    await bus.handle(AiGenerate, async (r) => ({
      ok: true,
      data: { title: `About ${r.variables['filename']}`, caption: 'Nice', hashtags, provider: 'offline', offline: true, prompt: 'p', missingVariables: [], attempts: 1, elapsedMs: 1, templateId: null },
    }));
    await bus.handle(PublisherAccountsList, async () => ({
      ok: true,
      data: {
        items: [
          { id: 'acc1', pluginId: 'bluesky', platform: 'bluesky', handle: '@me', externalId: 'did:x', status: 'active' as const, settings: {}, createdAt: at, updatedAt: at },
          { id: 'acc2', pluginId: 'webhook', platform: 'webhook', handle: 'hooks.example', externalId: 'h1', status: 'active' as const, settings: {}, createdAt: at, updatedAt: at },
        ],
      },
    }));
    // The publisher's plugin registry: the renditions stage reads each platform's targets from the manifest.
    const bluesky = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'plugins', 'bluesky', 'package.json'), 'utf8')) as { schedulerx: Record<string, unknown> };
    await bus.handle(PublisherPluginsList, async () => ({
      ok: true,
      data: { items: [{ id: 'bluesky', folder: 'bluesky', status: 'ready' as const, platform: 'bluesky', capabilities: [], manifest: bluesky.schedulerx }] },
    }));
    // The scheduler's pre-flight answer: the webhook takes no media.
    await bus.handle(SchedulerValidatePost, async (r) => ({
      ok: true,
      data: {
        ok: false,
        targets: (r.post?.targets ?? []).map((t) => {
          const violations = t.platform === 'webhook' ? [{ rule: 'media.max_items', message: '1 media items; the limit is 0' }] : [];
          return { accountId: t.accountId, platform: t.platform, pluginId: t.platform, ok: violations.length === 0, violations, caps: [] };
        }),
      },
    }));
    await bus.handle(SchedulerListPosts, async () => ({ ok: true, data: { items: [], nextCursor: null } }));
    await bus.handle(SchedulerSchedulePost, async (r) => {
      scheduled++;
      scheduledTargets = r.post?.targets.map((t) => t.accountId) ?? [];
      return { ok: true, data: { postId: 'post-1', scheduleId: 's1', jobs: [] } };
    });

    const config = loadConfig({ SX_LOG_LEVEL: 'silent' });
    config.database.url = db.url;
    const moduleRef = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot({
          config,
          clock: systemClock,
          metrics: createMetricsRegistry(),
          providers: [{ provide: EVENT_BUS, useValue: bus }, { provide: OBJECT_STORAGE, useValue: storage }],
        }),
        BusModule,
        PipelineModule,
      ],
    }).compile();
    app = await moduleRef.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function finished(id: string) {
    for (let i = 0; i < 200; i++) {
      const r = await bus.request(PipelineGetRun, { id }, ctx);
      if (r.ok && (r.data.status === 'succeeded' || r.data.status === 'failed')) return r.data;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`run ${id} did not finish`);
  }

  it('runs every stage for an asset and hands the post to the scheduler, streaming events', async () => {
    const started = await bus.request(PipelineRun, { pipeline: 'default', assetIds: ['a1'], autoSchedule: true }, ctx);
    expect(started.ok).toBe(true);
    const run = await finished(started.ok ? started.data.runs[0].id : '');
    expect(run.stages.map((s) => `${s.stage}:${s.status}${s.status === 'failed' ? ` ${JSON.stringify(s)}` : ''}`)).toEqual([
      'validate:succeeded', 'probe:succeeded', 'renditions:succeeded', 'thumbnail:succeeded', 'ai-metadata:succeeded', 'schedule:succeeded',
    ]);
    expect(run.stages[4].output).toMatchObject({ title: 'About clutch_round.png', offline: true });
    expect(scheduled).toBe(1);
    // The webhook account could never publish the clip: it is left out, and the stage says why.
    expect(scheduledTargets).toEqual(['acc1']);
    expect(run.stages[5].output).toMatchObject({ skipped: [{ accountId: 'acc2', platform: 'webhook', rules: ['media.max_items'] }] });
    for (let i = 0; i < 100 && !events.some((e) => e.subject === 'pipeline.run.finished'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(events.map((e) => e.subject)).toContain('pipeline.stage.changed');
    expect(events.every((e) => e.correlationId === 'corr-flow' && e.workspaceId === 'ws1')).toBe(true);
  });

  it('starts one run per media.ready event, even when the event is delivered again later', async () => {
    const data = { assetId: 'a1', filename: 'clutch_round.png', mime: 'image/png', kind: 'image' as const, bytes: 1, sha256: 'a'.repeat(64), metadata: {}, source: 'upload' as const, autoSchedule: false, platforms: [] };
    await bus.publish(MediaReady, data, { workspaceId: 'ws1', correlationId: 'c-ready', id: 'evt-1' });
    const eventRuns = async () => {
      const list = await bus.request(PipelineListRuns, { limit: 50, assetId: 'a1' }, ctx);
      return list.ok ? list.data.items.filter((r) => r.trigger === 'event') : [];
    };
    for (let i = 0; i < 100 && (await eventRuns()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await eventRuns()).toHaveLength(1);
    // Redelivered after the bus's dedupe window: the run's trigger reference blocks a second run.
    const again = await app.get(PipelineService).run('ws1', 'c-ready', { pipeline: 'default', assetIds: ['a1'], autoSchedule: false }, 'event', 'evt-1');
    expect(again).toEqual([]);
    expect(await eventRuns()).toHaveLength(1);
  });

  it('answers unknown pipelines and stages with coded errors', async () => {
    expect(await bus.request(PipelineRun, { pipeline: 'nope', assetIds: ['a1'], autoSchedule: false }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'unknown_pipeline', status: 404 },
    });
    expect(await bus.request(PipelineRun, { pipeline: 'default', assetIds: ['a1'], stage: 'x', autoSchedule: false }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'unknown_stage', status: 422 },
    });
  });
});
