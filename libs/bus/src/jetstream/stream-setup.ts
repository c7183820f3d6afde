import { nanos } from '@nats-io/nats-core';
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { BusLogger } from '../core/logger';
import type { Naming } from './naming';

export interface StreamSettings {
  replicas: number;
  duplicateWindowMs: number;
}

/** Creates each stream, or updates it when its settings drifted. Safe to run on every start by every replica. */
export async function ensureStreams(jsm: JetStreamManager, naming: Naming, settings: StreamSettings, logger: BusLogger): Promise<void> {
  for (const s of naming.allStreams()) {
    const wanted: Partial<StreamConfig> & { name: string } = {
      name: s.name,
      subjects: s.subjects,
      retention: s.workQueue ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      num_replicas: settings.replicas,
      duplicate_window: nanos(settings.duplicateWindowMs),
    };
    const existing = await jsm.streams.info(s.name).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!existing) {
      await jsm.streams.add(wanted).catch(async (e: unknown) => {
        // Another replica created it between our info and add: fine, as long as it now exists.
        if (!(await jsm.streams.info(s.name).then(() => true, () => false))) throw e;
      });
      logger.info({ stream: s.name }, 'stream created');
      continue;
    }
    const c = existing.config;
    const drifted =
      c.num_replicas !== settings.replicas ||
      c.duplicate_window !== wanted.duplicate_window ||
      c.subjects.join(',') !== s.subjects.join(',');
    if (drifted) {
      await jsm.streams.update(s.name, { ...c, subjects: s.subjects, num_replicas: settings.replicas, duplicate_window: wanted.duplicate_window });
      logger.info({ stream: s.name }, 'stream updated');
    }
    if (c.retention !== wanted.retention) {
      logger.warn({ stream: s.name, has: c.retention, wants: wanted.retention }, 'stream retention differs and cannot be changed in place');
    }
  }
}

export function isNotFound(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown; api_error?: { err_code?: number } }).api_error?.err_code;
  return code === 10059 || code === 10014 || code === 10037 || /not found/i.test(e.message);
}
