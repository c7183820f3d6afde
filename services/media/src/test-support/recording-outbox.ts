import type { EntityManager } from 'typeorm';
import type { EventData, EventDefinition } from '@sx/contracts';
import type { EventMeta, MediaEventOutbox } from '../ports';

export interface RecordedEvent {
  subject: string;
  data: unknown;
  meta: EventMeta;
}

/** Records appended events after validating them against their schema, like the real outbox would. */
export class RecordingOutbox implements MediaEventOutbox {
  readonly events: RecordedEvent[] = [];

  async append<D extends EventDefinition>(_em: EntityManager, def: D, data: EventData<D>, meta: EventMeta): Promise<void> {
    const parsed = def.schema.parse(data);
    this.events.push({ subject: def.subject, data: parsed, meta });
  }

  subjects(): string[] {
    return this.events.map((e) => e.subject);
  }
}
