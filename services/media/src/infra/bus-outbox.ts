import type { EntityManager } from 'typeorm';
import type { EventData, EventDefinition } from '@sx/contracts';
import { appendToOutbox, buildEnvelope } from '@sx/bus';
import type { Clock } from '@sx/service-kit';
import type { EventMeta, MediaEventOutbox } from '../ports';

/** Writes media events to `media.outbox` in the caller's transaction; the bus's OutboxRelay publishes them. */
export class BusOutbox implements MediaEventOutbox {
  constructor(
    private readonly schema: string,
    private readonly clock: Clock,
  ) {}

  async append<D extends EventDefinition>(em: EntityManager, def: D, data: EventData<D>, meta: EventMeta): Promise<void> {
    await appendToOutbox(em, this.schema, buildEnvelope(def, data, meta, this.clock));
  }
}
