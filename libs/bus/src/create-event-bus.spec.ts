import type { BusConfig } from '@sx/config';
import { createEventBus } from './create-event-bus';
import { InProcessEventBus } from './in-process/in-process-event-bus';
import { JetStreamEventBus } from './jetstream/jetstream-event-bus';

const base: BusConfig = { driver: 'in-process', natsUrl: 'nats://127.0.0.1:4222', replicas: 1, duplicateWindowMs: 120_000, requestTimeoutMs: 5_000, maxDeliver: 5 };

describe('createEventBus', () => {
  it('builds the in-process driver for embedded mode', async () => {
    const bus = createEventBus(base);
    expect(bus).toBeInstanceOf(InProcessEventBus);
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
