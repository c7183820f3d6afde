import type { EventBus } from '../event-bus';
import { commandContract } from './command.contract';
import { deliveryContract } from './delivery.contract';

/**
 * The behaviour every EventBus driver must show. A driver's spec calls this with a harness; the same
 * assertions run against the in-process driver and against JetStream on the real nats-server.
 * Handlers must retry quickly after a throw: harnesses create buses with a small retry backoff.
 */
export interface EventBusHarness {
  /** A started bus; several may be created per suite (e.g. to compete as two processes). */
  create(): Promise<EventBus>;
  /** Stops every created bus and removes what the driver stored (streams, consumers). */
  destroyAll(): Promise<void>;
}

export function runEventBusContract(driver: string, harness: EventBusHarness): void {
  describe(`EventBus contract: ${driver}`, () => {
    let bus: EventBus;
    beforeAll(async () => {
      bus = await harness.create();
    });
    afterAll(async () => {
      await harness.destroyAll();
    });
    const get = () => bus;
    deliveryContract(get);
    commandContract(get);
  });
}
