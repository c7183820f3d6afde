import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { BusModule, EVENT_BUS, InProcessEventBus } from '@sx/bus';
import { loadConfig } from '@sx/config';
import { AiTemplateCreate, AiTemplatesList, AiTestPrompt, type CommandContext } from '@sx/contracts';
import { CoreModule, createMetricsRegistry, HealthRegistry } from '@sx/service-kit';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { AiTemplatesModule } from './ai-templates.module';

const ctx = (workspaceId: string): CommandContext => ({ workspaceId, actorId: 'u1', role: 'editor', correlationId: 'c1' });

describe('AiTemplatesModule over the bus', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  const bus = new InProcessEventBus();

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({});
    config.database.url = db.url;
    const moduleRef = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot({
          config,
          clock: new FakeClock(),
          metrics: createMetricsRegistry(),
          providers: [{ provide: EVENT_BUS, useValue: bus }],
        }),
        BusModule,
        AiTemplatesModule,
      ],
    }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers template commands for the caller workspace and reports readiness', async () => {
    const created = await bus.request(AiTemplateCreate, { name: 'Mine', promptText: 'Clip {filename}', activate: true }, ctx('w1'));
    expect(created.ok).toBe(true);
    const list = await bus.request(AiTemplatesList, {}, ctx('w1'));
    expect(list.ok && list.data.items.filter((t) => t.isActive).map((t) => t.name)).toEqual(['Mine']);
    const other = await bus.request(AiTemplatesList, {}, ctx('w2'));
    expect(other.ok && other.data.items.map((t) => t.name)).not.toContain('Mine');
    const report = await app.get(HealthRegistry).report();
    expect(report.checks['database:ai_templates']?.ok).toBe(true);
    expect(report.checks['ai-provider']?.detail).toMatch(/offline/);
  });

  it('turns service errors into coded replies, not crashes', async () => {
    const bad = await bus.request(AiTemplateCreate, { name: 'Bad', promptText: '{nope}', activate: false }, ctx('w1'));
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed', status: 422 } });
    const tested = await bus.request(AiTestPrompt, { filename: 'boss_fight.mp4', gameContext: 'elden ring', variables: {} }, ctx('w1'));
    expect(tested.ok && tested.data.prompt).toBe('Clip boss_fight.mp4');
  });
});
