import { randomBytes, randomUUID } from 'node:crypto';
import { RetentionPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { JetStreamEventBus, type JetStreamEventBusOptions } from './jetstream-event-bus';
import { NatsInspector } from '../testing/nats-inspector';
import { BusTestDispatch, BusTestEvent } from '../testing/test-definitions';
import { waitFor } from '../testing/wait-for';

const NATS_URL = process.env['SX_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const namespace = `t${randomBytes(4).toString('hex')}_`;

describe('JetStreamEventBus on the real nats-server', () => {
  const buses: JetStreamEventBus[] = [];
  let inspector: NatsInspector;
  const release: (() => void)[] = [];

  const start = async (over: Partial<JetStreamEventBusOptions> = {}) => {
    const bus = new JetStreamEventBus({
      servers: NATS_URL, namespace, replicas: 1, duplicateWindowMs: 60_000, maxDeliver: 5, requestTimeoutMs: 2_000,
      retryBackoffMs: () => 20, ...over,
    });
    await bus.start();
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    inspector = await NatsInspector.connect(NATS_URL);
  });

  afterAll(async () => {
    for (const r of release) r();
    await buses[0]?.destroyNamespace();
    for (const b of buses) await b.close();
    await inspector.close();
  });

  it('starts on first use (whatever the Nest hook order) and refuses work after close', async () => {
    const lazy = new JetStreamEventBus({ servers: NATS_URL, namespace, replicas: 1, duplicateWindowMs: 60_000, maxDeliver: 5, requestTimeoutMs: 500 });
    const meta = { workspaceId: 'w', correlationId: 'c', subject: 'audit.bustest.lazy' };
    expect((await lazy.publish(BusTestEvent, { n: 1 }, meta)).duplicate).toBe(false);
    expect(await lazy.health()).toEqual({ ok: true, driver: 'jetstream' });
    await lazy.close();
    await expect(lazy.publish(BusTestEvent, { n: 2 }, meta)).rejects.toMatchObject({ code: 'bus_closed', status: 503 });
    expect((await lazy.health()).ok).toBe(false);
  });

  it('creates streams idempotently, applies a changed duplicate window, and makes DISPATCH a work queue', async () => {
    await start();
    await start({ duplicateWindowMs: 90_000 });
    const audit = await inspector.jsm.streams.info(`${namespace}AUDIT`);
    expect(audit.config.duplicate_window).toBe(nanos(90_000));
    expect(audit.config.subjects).toEqual([`${namespace}audit.>`]);
    const dispatch = await inspector.jsm.streams.info(`${namespace}DISPATCH`);
    expect(dispatch.config.retention).toBe(RetentionPolicy.Workqueue);
    expect((await inspector.streamNames()).filter((n) => n.startsWith(namespace)).sort()).toEqual(
      ['ALERTS', 'AUDIT', 'DEADLETTER', 'DISPATCH', 'MEDIA', 'PIPELINE', 'PLUGINS', 'POSTS'].map((n) => namespace + n),
    );
  });

  it('stores Nats-Msg-Id = event id and the correlation and causation headers', async () => {
    const bus = buses[0];
    const id = randomUUID();
    await bus.publish(BusTestEvent, { n: 1 }, { id, workspaceId: 'w', correlationId: 'corr-h', causationId: 'cause-h', subject: 'audit.bustest.headers' });
    const stored = await inspector.jsm.streams.getMessage(`${namespace}AUDIT`, { last_by_subj: `${namespace}audit.bustest.headers` });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(id);
    expect(stored?.header.get('Sx-Correlation-Id')).toBe('corr-h');
    expect(stored?.header.get('Sx-Causation-Id')).toBe('cause-h');
    expect(JSON.parse(stored?.string() ?? '{}')).toMatchObject({ id, subject: 'audit.bustest.headers', data: { n: 1 } });
  });

  it('shares one durable between two bus instances (two processes): each event handled once', async () => {
    const [a, b] = buses;
    const got: Record<string, number[]> = { a: [], b: [] };
    const handler = (k: 'a' | 'b') => async (d: { envelope: { data: { jobId: string } } }) => {
      got[k].push(Number(d.envelope.data.jobId));
      await new Promise<void>((r) => setTimeout(r, 15));
    };
    const subs = [
      await a.subscribe(BusTestDispatch, handler('a'), { durable: 'shared-bsky', subject: 'dispatch.sharedtest' }),
      await b.subscribe(BusTestDispatch, handler('b'), { durable: 'shared-bsky', subject: 'dispatch.sharedtest' }),
    ];
    for (let n = 0; n < 16; n++) await a.publish(BusTestDispatch, { jobId: String(n) }, { workspaceId: 'w', correlationId: 'c', subject: 'dispatch.sharedtest' });
    await waitFor(() => got['a'].length + got['b'].length >= 16, 'all 16 jobs');
    expect([...got['a'], ...got['b']].sort((x, y) => x - y)).toEqual([...Array(16).keys()]);
    expect(got['a'].length).toBeGreaterThan(0);
    expect(got['b'].length).toBeGreaterThan(0);
    // Work-queue retention: acked jobs are gone from the stream.
    await waitFor(async () => (await inspector.streamMessages(`${namespace}DISPATCH`)) === 0, 'an empty work queue');
    for (const s of subs) await s.unsubscribe();
  });

  it('acks without confirmation when asked: every job handled once, none left pending or redelivered', async () => {
    const bus = buses[0];
    const seen: string[] = [];
    const redelivered: string[] = [];
    const sub = await bus.subscribe(
      BusTestDispatch,
      async (d) => {
        seen.push(d.envelope.data.jobId);
        if (d.deliveryCount > 1) redelivered.push(d.envelope.data.jobId);
      },
      { durable: 'plain-acks', subject: 'dispatch.plaintest', concurrency: 8, ackWaitMs: 1_000, confirmAcks: false },
    );
    for (let n = 0; n < 40; n++) await bus.publish(BusTestDispatch, { jobId: String(n) }, { workspaceId: 'w', correlationId: 'c', subject: 'dispatch.plaintest' });
    await waitFor(async () => seen.length >= 40 && (await inspector.consumerBacklog(`${namespace}DISPATCH`, 'plain-acks')) === 0, 'all 40 acked');
    // Past the 1 s ack wait: an ack the server had not taken would have brought its job back by now.
    await new Promise<void>((r) => setTimeout(r, 1_500));
    expect(seen.map(Number).sort((x, y) => x - y)).toEqual([...Array(40).keys()]);
    expect(redelivered).toEqual([]);
    await sub.unsubscribe();
  });

  it('dead-letters a job whose handler never answers (max-deliveries advisory) and removes it from the work queue', async () => {
    const bus = buses[0];
    const counts: number[] = [];
    await bus.subscribe(
      BusTestDispatch,
      async (d) => {
        counts.push(d.deliveryCount);
        await new Promise<void>((r) => release.push(r));
      },
      { durable: 'hung-worker', subject: 'dispatch.hungtest', maxDeliver: 2, ackWaitMs: 400, concurrency: 2 },
    );
    const { id } = await bus.publish(BusTestDispatch, { jobId: 'stuck' }, { workspaceId: 'w', correlationId: 'c', subject: 'dispatch.hungtest' });
    await waitFor(async () => (await bus.listDeadLetters()).some((d) => d.consumer === 'hung-worker'), 'the dead letter');
    const [dl] = (await bus.listDeadLetters()).filter((d) => d.consumer === 'hung-worker');
    expect(dl).toMatchObject({ originalSubject: 'dispatch.hungtest', deliveryCount: 2, envelope: { id } });
    expect(dl.reason).toContain('without ack');
    expect(counts).toEqual([1, 2]);
    await waitFor(async () => (await inspector.streamMessages(`${namespace}DISPATCH`)) === 0, 'the stuck job removed from the work queue');
  });
});
