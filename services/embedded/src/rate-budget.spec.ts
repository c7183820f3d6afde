import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { EVENT_BUS, JetStreamEventBus } from '@sx/bus';
import { loadConfig } from '@sx/config';
import { configureGatewayApp } from '@sx/gateway';
import { createInfrastructure, rootModule } from '@sx/runtime';
import { OBJECT_STORAGE } from '@sx/storage';
import { createTestDatabase, freePort, testNamespace, type TestDatabase } from '@sx/testing';
import { EMBEDDED_FEATURES } from './features';

const POSTS = 100;
const NATS_URL = process.env['SX_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

interface Job {
  id: string;
  state: string;
}

/**
 * Issue #15.3 on distributed mode's bus (JetStream, where every nak spends a delivery): one webhook account
 * (60 deliveries a minute declared) with 100 posts due at one instant. The 40 past the budget are deferred
 * through the scheduler to successive instants; none is dead-lettered, every post goes out exactly once.
 */
describe('a rate budget never costs a post (JetStream bus, one busy webhook account)', () => {
  let db: TestDatabase;
  let dir: string;
  let app: INestApplication | undefined;
  let bus: JetStreamEventBus;
  let base = '';
  let token = '';
  const delivered = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `hook-${key}`, url: `http://127.0.0.1/hook/${key}` }));
    });
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-budget-'));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const config = loadConfig({
      SX_DATABASE_URL: db.url, SX_DATA_DIR: dir, SX_PORT: String(await freePort()), SX_HOST: '127.0.0.1',
      SX_EGRESS_ALLOW: '127.0.0.1', SX_LOG_LEVEL: 'warn', SX_BUS_MAX_DELIVER: '5',
    });
    const infra = createInfrastructure(config, 'schedulerx');
    bus = new JetStreamEventBus({ servers: NATS_URL, namespace: testNamespace('RB'), replicas: 1, duplicateWindowMs: 120_000, maxDeliver: 5, requestTimeoutMs: 5_000 });
    infra.bus = bus;
    infra.providers = [{ provide: EVENT_BUS, useValue: bus }, { provide: OBJECT_STORAGE, useValue: infra.storage }];
    app = await NestFactory.create(rootModule(infra, EMBEDDED_FEATURES), { bodyParser: false, logger: false });
    configureGatewayApp(app);
    await app.listen(config.http.port, '127.0.0.1');
    base = `http://127.0.0.1:${config.http.port}`;
    const setup = await api('POST', '/auth/setup', { email: 'owner@budget.test', password: 'budget-password-123', displayName: 'Owner', workspaceName: 'Budget' });
    token = (setup as { accessToken: string }).accessToken;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await bus?.destroyNamespace().catch(() => undefined);
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function api(method: string, route: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${base}/api${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async function jobs(): Promise<Job[]> {
    const out: Job[] = [];
    let cursor: string | null = null;
    do {
      const page = (await api('GET', `/scheduled?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as { items: Job[]; nextCursor: string | null };
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  it('defers the posts past the budget to successive instants and publishes all of them once, with no dead letter', async () => {
    const { port } = receiver.address() as { port: number };
    const connect = () => api('POST', '/accounts/connect', {
      pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: `http://127.0.0.1:${port}/hook`, secret: 'budget-test-signing-secret' },
    }) as Promise<{ account: { id: string } }>;
    // The first command waits for the plugin host to start its plugins (503 until then).
    let connected: { account: { id: string } } | undefined;
    for (let i = 0; !connected; i++) connected = await connect().catch((e: Error) => (i < 12 && /503/.test(e.message) ? undefined : Promise.reject(e)));
    const due = new Date(Date.now() + 30_000).toISOString();
    const target = [{ accountId: connected.account.id, platform: 'webhook' }];
    for (let i = 0; i < POSTS; i += 10) {
      await Promise.all([...Array(10).keys()].map((k) => api('POST', '/schedule', { post: { text: `busy ${i + k}`, targets: target }, when: { mode: 'at', at: due }, zone: 'UTC' })));
    }
    // While the deferred posts wait, the API shows when each is expected to go out: after its due time.
    let sawLateExpectation = false;
    const deadline = Date.now() + 100_000;
    let all: Job[] = [];
    for (;;) {
      const page = (await api('GET', '/scheduled?limit=200&state=retry_wait')) as { items: { dueAt: string; expectedAt: string | null; reason: string | null }[] };
      if (page.items.some((j) => j.expectedAt !== null && j.expectedAt > j.dueAt && /rate limit/.test(j.reason ?? ''))) sawLateExpectation = true;
      all = await jobs();
      if (all.length === POSTS && all.every((j) => j.state === 'published')) break;
      if (Date.now() > deadline) throw new Error(`not all published: ${JSON.stringify(countBy(all))}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(all.map((j) => delivered.get(`sx-${j.id}`))).toEqual(all.map(() => 1));
    expect(delivered.size).toBe(POSTS);
    expect(sawLateExpectation).toBe(true);
    expect(await bus.listDeadLetters(1_000)).toEqual([]);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows } = await pg.query<{ n: number }>(
      `SELECT count(DISTINCT job_id)::int AS n FROM scheduler.job_executions WHERE to_state = 'retry_wait' AND detail LIKE 'rate limit%'`,
    );
    await pg.end();
    expect(rows[0].n).toBeGreaterThanOrEqual(POSTS - 60 - 5); // the budget holds back ~40 (a few refill meanwhile)
  }, 150_000);
});

function countBy(jobs: Job[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const j of jobs) out[j.state] = (out[j.state] ?? 0) + 1;
  return out;
}
