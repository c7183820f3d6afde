import type { BusConfig } from '@sx/config';
import { createEventBus } from './create-event-bus';
import { InProcessEventBus } from './in-process/in-process-event-bus';
import { JetStreamEventBus } from './jetstream/jetstream-event-bus';
import { PostgresEventBus } from './postgres/postgres-event-bus';

const base: BusConfig = { driver: 'in-process', natsUrl: 'nats://127.0.0.1:4222', replicas: 1, duplicateWindowMs: 120_000, requestTimeoutMs: 5_000, maxDeliver: 5 };

describe('createEventBus', () => {
  it('builds the durable postgres driver for embedded mode; without a reachable database it answers coded 503s', async () => {
    const bus = createEventBus({ ...base, driver: 'postgres' }, { databaseUrl: 'postgres://nobody@127.0.0.1:1/none', namespace: 'tfactory_' });
    expect(bus).toBeInstanceOf(PostgresEventBus);
    expect(bus.durable).toBe(true);
    await expect(bus.start()).rejects.toMatchObject({ code: 'bus_unavailable', status: 503 });
    await bus.close();
  });

  it('builds the in-memory driver on request, and says it is not durable', async () => {
    const bus = createEventBus(base);
    expect(bus).toBeInstanceOf(InProcessEventBus);
    expect(bus.durable).toBe(false);
    await bus.start();
    expect(await bus.health()).toEqual({ ok: true, driver: 'in-process' });
    await bus.close();
  });

  it('builds the JetStream driver from the config; unreachable NATS gives coded 503s, never a crash', async () => {
    const bus = createEventBus({ ...base, driver: 'jetstream', natsUrl: 'nats://127.0.0.1:1' }, { namespace: 'tfactory_' });
    expect(bus).toBeInstanceOf(JetStreamEventBus);
    expect(await bus.health()).toMatchObject({ ok: false, driver: 'jetstream', detail: 'not connected' });
    await expect(bus.start()).rejects.toMatchObject({ code: 'bus_unavailable', status: 503 });
    await expect(bus.listDeadLetters()).rejects.toMatchObject({ code: 'bus_unavailable', status: 503 });
    await bus.close();
    await expect(bus.listDeadLetters()).rejects.toMatchObject({ code: 'bus_closed', status: 503 });
  });
});
