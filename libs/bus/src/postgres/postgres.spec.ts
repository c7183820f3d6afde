import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { runEventBusContract } from '../testing/event-bus.contract';
import { BusTestDispatch, BusTestEvent } from '../testing/test-definitions';
import { waitFor } from '../testing/wait-for';
import { PostgresEventBus, type PostgresEventBusOptions } from './postgres-event-bus';

let db: TestDatabase;
const namespace = `t${randomBytes(4).toString('hex')}_`;
const buses: PostgresEventBus[] = [];

async function newBus(extra: Partial<PostgresEventBusOptions> = {}): Promise<PostgresEventBus> {
  const bus = new PostgresEventBus({ databaseUrl: db.url, namespace, retryBackoffMs: () => 20, requestTimeoutMs: 2_000, ...extra });
  await bus.start();
  buses.push(bus);
  return bus;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const b of buses.splice(0)) await b.close();
  await db.drop();
});

runEventBusContract('postgres (queue tables in 127.0.0.1:5432)', {
  create: () => newBus(),
  async destroyAll() {
    await buses[0]?.destroyNamespace();
    for (const b of buses.splice(0)) await b.close();
  },
});

describe('postgres bus: what survives the process', () => {
  const ns = `t${randomBytes(4).toString('hex')}_`;
  const meta = (subject: string) => ({ workspaceId: 'ws-1', correlationId: randomUUID(), subject });

  afterAll(async () => {
    const cleanup = await newBus({ namespace: ns });
    await cleanup.destroyNamespace();
  });

  it('keeps what a closed bus accepted: durable rows and work-queue backlog reach the next process', async () => {
    const first = await newBus({ namespace: ns });
    await first.subscribe(BusTestEvent, async () => undefined, { durable: 'c-later', subject: 'audit.bustest.survive' }).then((s) => s.unsubscribe());
    for (let n = 0; n < 20; n++) await first.publish(BusTestEvent, { n }, meta('audit.bustest.survive'));
    for (let n = 0; n < 20; n++) await first.publish(BusTestDispatch, { jobId: `job-${n}` }, meta('dispatch.survive'));
    await first.close();

    const second = await newBus({ namespace: ns });
    const events: number[] = [];
    const jobs: string[] = [];
    await second.subscribe(BusTestEvent, async (d) => void events.push(d.envelope.data.n), { durable: 'c-later', subject: 'audit.bustest.survive' });
    await second.subscribe(BusTestDispatch, async (d) => void jobs.push(d.envelope.data.jobId), { durable: 'c-survive-wq', subject: 'dispatch.survive' });
    await waitFor(() => events.length === 20 && jobs.length === 20, 'every stored message in the next process');
    expect(events).toEqual([...Array(20).keys()]);
    expect(jobs).toEqual([...Array(20).keys()].map((n) => `job-${n}`));
  });

  it("hands a dead holder's in-flight messages to another process after ack wait, counting the delivery", async () => {
    const dead = await newBus({ namespace: ns });
    const started: string[] = [];
    // This "process" takes the messages and never settles them: as if killed mid-handling.
    await dead.subscribe(BusTestDispatch, async (d) => {
      started.push(d.envelope.data.jobId);
      await new Promise<void>(() => undefined);
    }, { durable: 'c-takeover', subject: 'dispatch.takeover', ackWaitMs: 600, concurrency: 10 });
    for (let n = 0; n < 5; n++) await dead.publish(BusTestDispatch, { jobId: `t-${n}` }, meta('dispatch.takeover'));
    await waitFor(() => started.length === 5, 'the dead holder to take all five');
    await dead.close(); // stops claiming; its five handlers never settle

    const alive = await newBus({ namespace: ns });
    const taken: { jobId: string; count: number }[] = [];
    await alive.subscribe(BusTestDispatch, async (d) => void taken.push({ jobId: d.envelope.data.jobId, count: d.deliveryCount }), {
      durable: 'c-takeover', subject: 'dispatch.takeover', ackWaitMs: 600, concurrency: 10,
    });
    await waitFor(() => taken.length === 5, 'the takeover after ack wait', 5_000);
    expect(taken.map((t) => t.jobId).sort()).toEqual(['t-0', 't-1', 't-2', 't-3', 't-4']);
    expect(new Set(taken.map((t) => t.count))).toEqual(new Set([2]));
  });

  it('dead-letters a message whose last delivery ran out of ack wait', async () => {
    const bus = await newBus({ namespace: ns });
    await bus.subscribe(BusTestEvent, async () => new Promise<void>(() => undefined), {
      durable: 'c-expire', subject: 'audit.bustest.expire', ackWaitMs: 300, maxDeliver: 2, concurrency: 5,
    });
    const { id } = await bus.publish(BusTestEvent, { n: 1 }, meta('audit.bustest.expire'));
    await waitFor(async () => (await bus.listDeadLetters()).some((d) => d.consumer === 'c-expire'), 'the dead letter', 5_000);
    const [dl] = (await bus.listDeadLetters()).filter((d) => d.consumer === 'c-expire');
    expect(dl).toMatchObject({ deliveryCount: 2, envelope: { id }, originalSubject: 'audit.bustest.expire' });
    expect(dl.reason).toContain('max_deliveries_exceeded');
  });

  it('stores a burst in few statements and delivers each message once', async () => {
    const bus = await newBus({ namespace: ns });
    const got = new Map<string, number>();
    await bus.subscribe(BusTestDispatch, async (d) => void got.set(d.envelope.data.jobId, (got.get(d.envelope.data.jobId) ?? 0) + 1), {
      durable: 'c-burst', subject: 'dispatch.burst', concurrency: 16, confirmAcks: false,
    });
    const results = await Promise.all([...Array(2_000).keys()].map((n) => bus.publish(BusTestDispatch, { jobId: `b-${n}` }, meta('dispatch.burst'))));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    await waitFor(() => got.size === 2_000, 'all 2000 burst messages', 20_000);
    expect([...got.values()].every((c) => c === 1)).toBe(true);
  }, 30_000);
});
