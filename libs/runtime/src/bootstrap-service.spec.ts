import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { loadConfig } from '@sx/config';
import { AiHealth } from '@sx/contracts';
import { HealthRegistry } from '@sx/service-kit';
import { createTestDatabase, freePort, type TestDatabase } from '@sx/testing';
import { bootstrapService } from './bootstrap-service';

@Module({})
class EmptyFeature {}

describe('bootstrapService', () => {
  let app: INestApplication;
  let dir: string;
  let base: string;
  let db: TestDatabase;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-runtime-'));
    const port = await freePort();
    // Embedded mode's bus is the durable Postgres queue: it needs a database of its own.
    db = await createTestDatabase();
    base = `http://127.0.0.1:${port}`;
    app = await bootstrapService('ai-templates', EmptyFeature, loadConfig({ SX_PORT: String(port), SX_DATA_DIR: dir, SX_DATABASE_URL: db.url, SX_LOG_LEVEL: 'silent' }));
    app.get(HealthRegistry).register('probe', 'test', async () => ({ ok: true, detail: 'fine' }));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves /health, /ready (with the storage and bus checks) and Prometheus /metrics', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    const body = (await ready.json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
    expect(ready.status).toBe(200);
    expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['storage', 'bus', 'probe']));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('service="ai-templates"');
  });

  it('answers the gateway health command over the bus with its readiness report', async () => {
    const bus = app.get<EventBus>(EVENT_BUS);
    const reply = await bus.request(AiHealth, {}, { workspaceId: 'system', actorId: 'gateway', role: 'system', correlationId: 'c' });
    expect(reply.ok && reply.data.checks['probe']).toEqual({ ok: true, component: 'test', detail: 'fine' });
  });
});
