import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@sx/config';
import { CoreModule, HealthRegistry, systemClock } from '@sx/service-kit';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { dataSourceToken, InjectDataSource, PersistenceModule } from './persistence.module';
import { NoteEntity, NotesInit1700000000000 } from './testing-fixtures/note.fixture';

@Injectable()
class NotesReader {
  constructor(@InjectDataSource('mod_a') readonly db: DataSource) {}
}

@Module({
  imports: [PersistenceModule.forService({ schema: 'mod_a', entities: [NoteEntity], migrations: [NotesInit1700000000000] })],
  providers: [NotesReader],
  exports: [NotesReader],
})
class ServiceAModule {}

@Module({
  imports: [PersistenceModule.forService({ schema: 'mod_b', entities: [NoteEntity], migrations: [NotesInit1700000000000] })],
})
class ServiceBModule {
  constructor(@Inject(dataSourceToken('mod_b')) readonly db: DataSource) {}
}

describe('PersistenceModule.forService', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('gives each service its own migrated DataSource, a readiness check, and closes them on shutdown', async () => {
    const base = loadConfig({});
    const config = { ...base, database: { ...base.database, url: db.url, poolSize: 2 } };
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule.forRoot({ config, clock: systemClock, metrics: new Registry() }), ServiceAModule, ServiceBModule],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();

    const a = app.get(NotesReader).db;
    const b = app.get<DataSource>(dataSourceToken('mod_b'));
    expect(a).not.toBe(b);
    expect(a.driver.schema).toBe('mod_a');
    expect(b.driver.schema).toBe('mod_b');
    const tables = await a.query(
      `SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 'notes' ORDER BY 1`,
    );
    expect(tables).toEqual([{ s: 'mod_a' }, { s: 'mod_b' }]);

    const report = await app.get(HealthRegistry).report();
    expect(report.checks['database:mod_a']).toEqual({ ok: true, component: 'mod_a' });
    expect(report.checks['database:mod_b']).toEqual({ ok: true, component: 'mod_b' });

    await app.close();
    expect(a.isInitialized).toBe(false);
    expect(b.isInitialized).toBe(false);
  });

  it('fails start-up with a clear message when no database URL was set', async () => {
    const config = loadConfig({});
    const moduleRef = Test.createTestingModule({
      imports: [CoreModule.forRoot({ config, clock: systemClock, metrics: new Registry() }), ServiceBModule],
    });
    await expect(moduleRef.compile()).rejects.toThrow(/database\.url is not set/);
  });
});
