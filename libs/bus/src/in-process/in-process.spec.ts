import { InProcessEventBus } from './in-process-event-bus';
import { runEventBusContract } from '../testing/event-bus.contract';
import type { EventBus } from '../event-bus';

const buses: EventBus[] = [];

runEventBusContract('in-process', {
  async create() {
    const bus = new InProcessEventBus({ retryBackoffMs: () => 20, requestTimeoutMs: 2_000 });
    await bus.start();
    buses.push(bus);
    return bus;
  },
  async destroyAll() {
    for (const b of buses.splice(0)) await b.close();
  },
});
