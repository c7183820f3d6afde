import type { DataSource } from 'typeorm';
import { createServiceDataSource } from '@sx/persistence';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { MEDIA_ENTITIES, MEDIA_MIGRATIONS, MEDIA_SCHEMA } from '../db/media-schema';

export interface MediaTestDb {
  ds: DataSource;
  url: string;
  close(): Promise<void>;
}

/** A fresh Postgres database with the media schema migrated, exactly as PersistenceModule does it. */
export async function createMediaTestDb(): Promise<MediaTestDb> {
  const db: TestDatabase = await createTestDatabase();
  const ds = await createServiceDataSource({
    url: db.url,
    schema: MEDIA_SCHEMA,
    entities: MEDIA_ENTITIES,
    migrations: MEDIA_MIGRATIONS,
    poolSize: 4,
  });
  return {
    ds,
    url: db.url,
    async close() {
      await ds.destroy();
      await db.drop();
    },
  };
}
