import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import { loadConfig } from '@sx/config';
import { PublisherPreflight, type CommandContext, type CommandDefinition, type CommandReply, type CommandRequest, type CommandResponse } from '@sx/contracts';
import { BusModule, EVENT_BUS, InProcessEventBus } from '@sx/bus';
import { dataSourceToken } from '@sx/persistence';
import { CoreModule } from '@sx/service-kit';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { SchedulerModule } from '../scheduler.module';
import { DispatcherService, SCHEDULER_TIMERS } from '../dispatch/dispatcher.service';

/** The whole SchedulerModule over the in-process bus and a fresh real Postgres database, on a fake clock. */
export interface AppHarness {
  app: INestApplication;
  bus: InProcessEventBus;
  clock: FakeClock;
  ds: DataSource;
  dispatcher: DispatcherService;
  /** Sends a command as `workspaceId` (editor) and returns the reply. */
  call<D extends CommandDefinition>(def: D, req: CommandRequest<D>, workspaceId?: string): Promise<CommandReply<CommandResponse<D>>>;
  /** Same, but fails the test unless the reply is ok. */
  ok<D extends CommandDefinition>(def: D, req: CommandRequest<D>, workspaceId?: string): Promise<CommandResponse<D>>;
  count(table: string): Promise<number>;
  /**
   * Stands in for the publisher's pre-flight check (cmd.publisher.preflight): by default every target
   * passes; a test sets this to answer violations per target.
   */
  preflight: (req: CommandRequest<typeof PublisherPreflight>) => CommandResponse<typeof PublisherPreflight>;
  close(): Promise<void>;
}

export const PREFLIGHT_ALL_OK = (req: CommandRequest<typeof PublisherPreflight>): CommandResponse<typeof PublisherPreflight> => ({
  ok: true,
  targets: req.targets.map((x) => ({ accountId: x.accountId, platform: x.platform ?? null, pluginId: x.platform ?? null, ok: true, violations: [], caps: [] })),
});

export async function startApp(start: string): Promise<AppHarness> {
  const db: TestDatabase = await createTestDatabase();
  const clock = new FakeClock(start);
  const bus = new InProcessEventBus({ clock });
  const config = loadConfig({ SX_DATABASE_URL: db.url, SX_LOG_LEVEL: 'silent', SX_DB_POOL_SIZE: '4' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot({ config, clock, metrics: new Registry(), providers: [{ provide: EVENT_BUS, useValue: bus }, { provide: SCHEDULER_TIMERS, useValue: clock }] }),
      BusModule,
      SchedulerModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const ds = app.get<DataSource>(dataSourceToken('scheduler'));
  const call = <D extends CommandDefinition>(def: D, req: CommandRequest<D>, workspaceId = 'ws-a') => {
    const ctx: CommandContext = { workspaceId, actorId: 'user-1', role: 'editor', correlationId: 'corr-test' };
    return bus.request(def, req, ctx, { timeoutMs: 20_000 });
  };
  const harness: AppHarness = {
    app,
    bus,
    clock,
    ds,
    dispatcher: app.get(DispatcherService),
    call,
    async ok(def, req, workspaceId) {
      const reply = await call(def, req, workspaceId);
      if (!reply.ok) throw new Error(`${def.subject} failed: ${JSON.stringify(reply.error)}`);
      return reply.data;
    },
    preflight: PREFLIGHT_ALL_OK,
    async count(table) {
      const [r] = (await ds.query(`SELECT count(*)::int AS n FROM scheduler.${table}`)) as { n: number }[];
      return r.n;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
  await bus.handle(PublisherPreflight, async (req) => ({ ok: true, data: harness.preflight(req) }));
  return harness;
}
