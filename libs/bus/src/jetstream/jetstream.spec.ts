import { randomBytes } from 'node:crypto';
import { JetStreamEventBus } from './jetstream-event-bus';
import { runEventBusContract } from '../testing/event-bus.contract';
import { NatsInspector } from '../testing/nats-inspector';

const NATS_URL = process.env['SX_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const namespace = `t${randomBytes(4).toString('hex')}_`;
const buses: JetStreamEventBus[] = [];

const newBus = () =>
  new JetStreamEventBus({
    servers: NATS_URL, namespace, replicas: 1, duplicateWindowMs: 120_000, maxDeliver: 5,
    requestTimeoutMs: 2_000, ackWaitMs: 5_000, retryBackoffMs: () => 20,
  });

runEventBusContract('jetstream (nats-server at 127.0.0.1:4222)', {
  async create() {
    const bus = newBus();
    await bus.start();
    buses.push(bus);
    return bus;
  },
  async destroyAll() {
    const [first] = buses;
    await first?.destroyNamespace();
    for (const b of buses.splice(0)) await b.close();
  },
});

describe('jetstream namespace cleanup', () => {
  it('left no stream of this namespace behind', async () => {
    const inspector = await NatsInspector.connect(NATS_URL);
    const names = await inspector.streamNames();
    await inspector.close();
    expect(names.filter((n) => n.startsWith(namespace))).toEqual([]);
  });
});
