import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { systemClock } from '@sx/service-kit';
import type { Envelope } from '@sx/contracts';
import { buildEnvelope } from '../core/envelope';
import { JetStreamEventBus } from '../jetstream/jetstream-event-bus';
import { BusTestEvent } from '../testing/test-definitions';
import { NatsInspector } from '../testing/nats-inspector';
import { waitFor } from '../testing/wait-for';
import { appendToOutbox } from './append-to-outbox';
import { createOutboxMigration } from './outbox.migration';
import { OutboxRelay } from './outbox-relay';

const ADMIN_URL = process.env['SX_TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env['SX_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const SCHEMA = 'bus_test';
const dbName = `sx_bus_${randomBytes(5).toString('hex')}`;
const namespace = `t${randomBytes(4).toString('hex')}_`;

class WidgetsMigration1763769600001 {
  async up(q: { query(sql: string): Promise<unknown> }) {
    await q.query(`CREATE TABLE "${SCHEMA}"."widgets" (id text PRIMARY KEY, name text NOT NULL)`);
  }
  async down(q: { query(sql: string): Promise<unknown> }) {
    await q.query(`DROP TABLE "${SCHEMA}"."widgets"`);
  }
}

describe('transactional outbox + relay (real Postgres, real JetStream)', () => {
  let ds: DataSource;
  let bus: JetStreamEventBus;
  let inspector: NatsInspector;
  const received: string[] = [];

  beforeAll(async () => {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    ds = new DataSource({
      type: 'postgres',
      url: ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`),
      migrations: [createOutboxMigration(SCHEMA), WidgetsMigration1763769600001],
    });
    await ds.initialize();
    await ds.runMigrations();
    bus = new JetStreamEventBus({ servers: NATS_URL, namespace, replicas: 1, duplicateWindowMs: 120_000, maxDeliver: 5, requestTimeoutMs: 2_000 });
    await bus.start();
    inspector = await NatsInspector.connect(NATS_URL);
    await bus.subscribe(BusTestEvent, async (d) => void received.push(d.envelope.id), { durable: 'outbox-check', subject: 'audit.bustest.outbox' });
  });

  afterAll(async () => {
    await bus?.destroyNamespace().catch(() => undefined);
    await bus?.close();
    await inspector?.close();
    await ds?.destroy();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  /** One state change + its event, in one transaction. */
  async function createWidget(n: number, rollback = false): Promise<Envelope> {
    const envelope = buildEnvelope(BusTestEvent, { n }, { workspaceId: 'ws-1', correlationId: `corr-${n}`, subject: 'audit.bustest.outbox' }, systemClock);
    await ds
      .transaction(async (m) => {
        await m.query(`INSERT INTO "${SCHEMA}"."widgets" (id, name) VALUES ($1, $2)`, [randomUUID(), `w${n}`]);
        await appendToOutbox(m, SCHEMA, envelope);
        if (rollback) throw new Error('rolled back on purpose');
      })
      .catch((e: unknown) => {
        if (!rollback) throw e;
      });
    return envelope;
  }

  const unpublished = async () => Number((await ds.query(`SELECT count(*) AS n FROM "${SCHEMA}"."outbox" WHERE published_at IS NULL`))[0].n);
  const streamCount = () => inspector.streamMessages(`${namespace}AUDIT`);

  it('survives a relay killed mid-batch: every event delivered exactly once, stream holds exactly N', async () => {
    const N = 20;
    const sent: string[] = [];
    for (let n = 0; n < N; n++) sent.push((await createWidget(n)).id);
    const rolledBack = await createWidget(999, true);
    expect(await unpublished()).toBe(N);

    let published = 0;
    const doomed = new OutboxRelay({
      dataSource: ds, schema: SCHEMA, bus, batchSize: 50, listen: false,
      afterPublish: async () => {
        if (++published === 7) throw new Error('relay killed after its 7th publish');
      },
    });
    await expect(doomed.relayBatch()).rejects.toThrow('relay killed');
    expect(published).toBe(7);
    expect(await unpublished()).toBe(N); // the mark-published transaction never committed
    expect(await streamCount()).toBe(7); // ...but seven events did reach JetStream

    const fresh = new OutboxRelay({ dataSource: ds, schema: SCHEMA, bus, batchSize: 8, listen: false });
    expect(await fresh.drain()).toBe(N);
    expect(await unpublished()).toBe(0);
    await waitFor(() => received.length >= N, `${N} deliveries`);
    await waitFor(async () => (await inspector.consumerBacklog(`${namespace}AUDIT`, 'outbox-check')) === 0, 'every delivery acked');
    expect(await streamCount()).toBe(N);
    expect([...received].sort()).toEqual([...sent].sort());
    expect(received).not.toContain(rolledBack.id);
  });

  it('survives the relay database session being killed mid-batch (Postgres rolls the claim back)', async () => {
    const base = await streamCount();
    const sent: string[] = [];
    for (let n = 200; n < 210; n++) sent.push((await createWidget(n)).id);
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    let published = 0;
    const victim = new OutboxRelay({
      dataSource: ds, schema: SCHEMA, bus, batchSize: 50, listen: false,
      afterPublish: async () => {
        if (++published !== 4) return;
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'`,
          [dbName],
        );
        expect(killed.rows).toEqual([{ ok: true }]);
      },
    });
    await expect(victim.relayBatch()).rejects.toThrow();
    await admin.end();
    // The session died after the 4th publish; the loop went on publishing (NATS is not Postgres) but
    // could not mark anything: every row is still unpublished, every event already in the stream.
    expect(published).toBe(10);
    expect(await unpublished()).toBe(10);
    expect(await streamCount()).toBe(base + 10);
    expect(await new OutboxRelay({ dataSource: ds, schema: SCHEMA, bus, listen: false }).drain()).toBe(10);
    await waitFor(() => sent.every((id) => received.includes(id)), 'the ten events');
    await waitFor(async () => (await inspector.consumerBacklog(`${namespace}AUDIT`, 'outbox-check')) === 0, 'every delivery acked');
    expect(await streamCount()).toBe(base + 10);
    expect(received.filter((id) => sent.includes(id)).sort()).toEqual([...sent].sort());
  });

  it('lets two relays share the outbox without publishing any row twice (SKIP LOCKED)', async () => {
    for (let n = 100; n < 140; n++) await createWidget(n);
    const publishes: string[] = [];
    const relays = [0, 1].map(
      () => new OutboxRelay({ dataSource: ds, schema: SCHEMA, bus, batchSize: 5, listen: false, afterPublish: async (e) => void publishes.push(e.id) }),
    );
    const [a, b] = await Promise.all(relays.map((r) => r.drain()));
    expect(a + b).toBe(40);
    expect(publishes.length).toBe(40);
    expect(new Set(publishes).size).toBe(40);
    expect(await unpublished()).toBe(0);
    expect(await streamCount()).toBe(70);
    await waitFor(() => received.length >= 70, 'all 70 deliveries so far');
  });

  it('parks a row that can never be published instead of blocking the rows behind it', async () => {
    await ds.query(`INSERT INTO "${SCHEMA}"."outbox" (event_id, subject, envelope) VALUES ('poison', 'audit.bustest.outbox', '{"id":"poison"}'::jsonb)`);
    const { id } = await createWidget(300);
    const relay = new OutboxRelay({ dataSource: ds, schema: SCHEMA, bus, listen: false });
    expect(await relay.drain()).toBe(1);
    await waitFor(() => received.includes(id), 'the event behind the poison row');
    const [poison] = await ds.query(`SELECT failed_at, last_error, published_at FROM "${SCHEMA}"."outbox" WHERE event_id = 'poison'`);
    expect(poison.failed_at).not.toBeNull();
    expect(poison.published_at).toBeNull();
    expect(poison.last_error).toContain('malformed');
    expect(await relay.drain()).toBe(0);
  });

  it('publishes a new row within moments of its commit through LISTEN/NOTIFY', async () => {
    const relay = new OutboxRelay({ dataSource: ds, schema: SCHEMA, bus, pollIntervalMs: 600_000 });
    await relay.start();
    const before = received.length;
    const { id } = await createWidget(500);
    await waitFor(() => received.includes(id), 'the notified event', 5_000);
    expect(received.length).toBe(before + 1);
    await relay.stop();
  });
});
