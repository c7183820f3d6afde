import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createOutboxMigration } from '@sx/bus';
import { createServiceDataSource } from '@sx/persistence';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { PIPELINE_SCHEMA, RunEntity, StageRunEntity } from '../db/pipeline.entities';
import { PipelineInit1763850000000 } from '../db/1763850000000-pipeline-init';
import type { RenditionTargets } from '@sx/plugin-sdk';
import type { AssetInfo, MediaPort } from '../media/media-port';
import type { RenditionTargetsPort } from '../stages/rendition-targets.port';

export const silent = pino({ level: 'silent' });

export interface PipelineDb {
  db: TestDatabase;
  ds: DataSource;
  clock: FakeClock;
  close(): Promise<void>;
}

/** A fresh database with the pipeline schema migrated, and a fake clock. */
export async function pipelineDb(): Promise<PipelineDb> {
  const db = await createTestDatabase();
  const ds = await createServiceDataSource({
    url: db.url,
    schema: PIPELINE_SCHEMA,
    entities: [RunEntity, StageRunEntity],
    migrations: [PipelineInit1763850000000, createOutboxMigration(PIPELINE_SCHEMA)],
    poolSize: 4,
  });
  return {
    db,
    ds,
    clock: new FakeClock('2026-03-01T10:00:00Z'),
    async close() {
      await ds.destroy();
      await db.drop();
    },
  };
}

export function asset(partial: Partial<AssetInfo> = {}): AssetInfo {
  return {
    id: 'asset-1',
    filename: 'boss_fight.png',
    kind: 'image',
    mime: 'image/png',
    bytes: 1000,
    status: 'ready',
    metadata: { width: 64, height: 48 },
    platforms: [],
    contentKey: 'assets/asset-1/original',
    ...partial,
  };
}

/** A MediaPort answering from a map; unknown ids fail like the media service's not_found. */
export function fakeMedia(assets: AssetInfo[]): MediaPort {
  const byId = new Map(assets.map((a) => [a.id, a]));
  return {
    async describe(_ws, assetId) {
      const a = byId.get(assetId);
      if (!a) throw new Error(`Asset ${assetId} was not found`);
      return a;
    },
  };
}

export async function outboxSubjects(ds: DataSource): Promise<string[]> {
  const rows: { subject: string }[] = await ds.query(`SELECT subject FROM pipeline.outbox ORDER BY seq`);
  return rows.map((r) => r.subject);
}

/** Rendition targets answered from a fixed map (unit tests; the real port asks the publisher). */
export function staticTargets(map: Record<string, RenditionTargets>): RenditionTargetsPort {
  return { byPlatform: async () => new Map(Object.entries(map)) };
}
