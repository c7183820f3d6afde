import type { EntityManager } from 'typeorm';
import type { Envelope } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { assertEnvelope } from '../core/envelope';
import { assertSchemaName, outboxChannel } from './outbox.migration';

/**
 * Writes `envelope` to `<schema>.outbox` with the caller's transaction (`manager` from
 * `dataSource.transaction`), so the event exists if and only if the state change commits.
 * The NOTIFY is delivered at commit and wakes the relay. Build the envelope with `buildEnvelope`.
 */
export async function appendToOutbox(manager: EntityManager, schema: string, envelope: Envelope): Promise<void> {
  const s = assertSchemaName(schema);
  assertEnvelope(envelope);
  try {
    await manager.query(`INSERT INTO "${s}"."outbox" (event_id, subject, envelope) VALUES ($1, $2, $3::jsonb)`, [
      envelope.id,
      envelope.subject,
      JSON.stringify(envelope),
    ]);
  } catch (e: unknown) {
    if ((e as { code?: unknown }).code === '23505') {
      throw AppError.conflict('duplicate_event_id', `event ${envelope.id} is already in the outbox`);
    }
    throw e;
  }
  await manager.query(`SELECT pg_notify($1, '')`, [outboxChannel(s)]);
}
