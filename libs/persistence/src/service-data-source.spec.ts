import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import type { DataSource } from 'typeorm';
import { createServiceDataSource } from './service-data-source';
import { NoteEntity, NotesInit1700000000000 } from './testing-fixtures/note.fixture';

describe('createServiceDataSource', () => {
  let db: TestDatabase;
  const open: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ds) => (ds.isInitialized ? ds.destroy() : undefined)));
  });
  afterAll(async () => {
    await db.drop();
  });

  const start = async (schema: string): Promise<DataSource> => {
    const ds = await createServiceDataSource({
      url: db.url,
      schema,
      entities: [NoteEntity],
      migrations: [NotesInit1700000000000],
      poolSize: 2,
    });
    open.push(ds);
    return ds;
  };

  it('creates the schema, keeps tables and the migrations table inside it, and works with entities', async () => {
    const ds = await start('svc_a');
    const tables = await ds.query(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
        WHERE table_name IN ('notes', 'migrations') ORDER BY 1`,
    );
    expect(tables).toEqual([{ t: 'svc_a.migrations' }, { t: 'svc_a.notes' }]);
    const id = randomUUID();
    await ds.getRepository(NoteEntity).save({ id, body: 'hello', createdAt: new Date('2026-01-01T10:00:00Z') });
    const found = await ds.getRepository(NoteEntity).findOneByOrFail({ id });
    expect(found.createdAt.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('keeps services apart: the same table name in two schemas holds different rows', async () => {
    const a = await start('svc_b');
    const b = await start('svc_c');
    await a.getRepository(NoteEntity).save({ id: randomUUID(), body: 'only in b', createdAt: new Date() });
    expect(await a.getRepository(NoteEntity).count()).toBe(1);
    expect(await b.getRepository(NoteEntity).count()).toBe(0);
  });

  it('migrates exactly once when replicas start together and when restarted', async () => {
    // The migration's CREATE TABLE is not idempotent: running it twice would fail.
    const [x, y] = await Promise.all([start('svc_d'), start('svc_d')]);
    await x.destroy();
    const z = await start('svc_d');
    const rows = await z.query(`SELECT name FROM svc_d.migrations`);
    expect(rows).toEqual([{ name: 'NotesInit1700000000000' }]);
    expect(y.isInitialized).toBe(true);
  });

  it('rejects schema names that would need quoting, and non-postgres URLs', async () => {
    await expect(
      createServiceDataSource({ url: db.url, schema: 'ai-templates', entities: [], migrations: [] }),
    ).rejects.toThrow(/ai_templates/);
    await expect(
      createServiceDataSource({ url: 'mysql://u:hunter2@h/db', schema: 'svc_e', entities: [], migrations: [] }),
    ).rejects.toThrow(/^(?!.*hunter2).*postgres:\/\//);
  });
});
