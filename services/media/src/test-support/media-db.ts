import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { MEDIA_ENTITIES, MEDIA_MIGRATIONS } from '../db/media-schema';

export interface MediaTestDb {
  ds: DataSource;
  close(): Promise<void>;
}

/** A fresh Postgres database with the media schema migrated. */
export async function createMediaTestDb(): Promise<MediaTestDb> {
  const db: TestDatabase = await createTestDatabase();
  const ds = new DataSource({
    type: 'postgres',
    url: db.url,
    entities: MEDIA_ENTITIES,
    migrations: MEDIA_MIGRATIONS,
    migrationsTableName: 'media_migrations',
  });
  await ds.initialize();
  await ds.runMigrations();
  return {
    ds,
    async close() {
      await ds.destroy();
      await db.drop();
    },
  };
}
