import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { loadConfig, type AppConfig } from '@sx/config';
import { BusModule, EVENT_BUS, InProcessEventBus, type EventBus } from '@sx/bus';
import { CoreModule, createMetricsRegistry } from '@sx/service-kit';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import type { Logger } from 'pino';
import { configureGatewayApp } from '../gateway-app';
import { GATEWAY_LOGGER } from '../http/gateway-logger';
import { GatewayModule } from '../gateway.module';

export interface GatewayTestApp {
  app: INestApplication;
  http: App;
  clock: FakeClock;
  bus: EventBus;
  config: AppConfig;
  db: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

export interface GatewayTestOptions {
  env?: Record<string, string>;
  bus?: (clock: FakeClock) => EventBus;
  /** Extra controllers (test-only routes). */
  controllers?: Type[];
  /** Listen on an ephemeral loopback port (needed for streaming clients). */
  listen?: boolean;
  /** Replaces the gateway's pino logger (to assert what gets logged). */
  logger?: Logger;
}

@Module({})
class GatewayTestRootModule {}

/** The real gateway (real PostgreSQL in a fresh database, in-process bus, fake clock) on an ephemeral server. */
export async function startGatewayTestApp(opts: GatewayTestOptions = {}): Promise<GatewayTestApp> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sx-gw-'));
  const clock = new FakeClock(new Date());
  const config = loadConfig({ SX_DATABASE_URL: db.url, SX_DATA_DIR: dataDir, SX_LOG_LEVEL: 'silent', ...opts.env });
  const bus = opts.bus?.(clock) ?? new InProcessEventBus({ clock, requestTimeoutMs: 200 });
  const root: DynamicModule = {
    module: GatewayTestRootModule,
    imports: [
      CoreModule.forRoot({ config, clock, metrics: createMetricsRegistry(), providers: [{ provide: EVENT_BUS, useValue: bus }] }),
      // As in production (@sx/runtime rootModule): the bus is started and closed by BusModule.
      BusModule,
      GatewayModule,
    ],
    controllers: opts.controllers ?? [],
  };
  const builder = Test.createTestingModule({ imports: [root] });
  if (opts.logger) builder.overrideProvider(GATEWAY_LOGGER).useValue(opts.logger);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureGatewayApp(app);
  if (opts.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  return {
    app,
    http: app.getHttpServer() as App,
    clock,
    bus,
    config,
    db,
    dataDir,
    async close() {
      await app.close();
      await bus.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedIn {
  userId: string;
  workspaceId: string;
  accessToken: string;
  refreshToken: string;
}

export const OWNER_PASSWORD = 'correct horse battery staple';

/** First-run setup: the owner (admin) of the first workspace. */
export async function setupOwner(http: App, email = 'owner@example.test'): Promise<SignedIn> {
  const res = await request(http)
    .post('/api/auth/setup')
    .send({ email, password: OWNER_PASSWORD, displayName: 'Owner', workspaceName: 'Alpha' })
    .expect(201);
  return fromLogin(res.body);
}

export async function login(http: App, email: string, password = OWNER_PASSWORD): Promise<SignedIn> {
  const res = await request(http).post('/api/auth/login').send({ email, password }).expect(200);
  return fromLogin(res.body);
}

/** Creates a user of `role` in the admin's workspace and signs them in. */
export async function addUser(http: App, admin: SignedIn, email: string, role: 'admin' | 'editor' | 'viewer'): Promise<SignedIn> {
  await request(http)
    .post('/api/users')
    .set('authorization', `Bearer ${admin.accessToken}`)
    .send({ email, password: OWNER_PASSWORD, displayName: email, role })
    .expect(201);
  return login(http, email);
}

/** The owner creates a second workspace; returns its admin, signed in. */
export async function addWorkspace(http: App, owner: SignedIn, name: string, adminEmail: string): Promise<SignedIn> {
  await request(http)
    .post('/api/workspaces')
    .set('authorization', `Bearer ${owner.accessToken}`)
    .send({ name, admin: { email: adminEmail, password: OWNER_PASSWORD, displayName: name } })
    .expect(201);
  return login(http, adminEmail);
}

function fromLogin(body: { user: { id: string; workspaceId: string }; accessToken: string; refreshToken: string }): SignedIn {
  return { userId: body.user.id, workspaceId: body.user.workspaceId, accessToken: body.accessToken, refreshToken: body.refreshToken };
}
