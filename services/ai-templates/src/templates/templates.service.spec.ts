import { DataSource } from 'typeorm';
import { AppError } from '@sx/service-kit';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { MetadataGenerator } from '../generation/metadata-generator';
import { AiTemplatesInit1763800000000 } from '../migrations/1763800000000-ai-templates-init';
import { OfflineProvider } from '../providers/offline.provider';
import { DEFAULT_TEMPLATE_NAME } from './default-template';
import { GenerationEntity, TemplateEntity } from './template.entity';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('TemplatesService on real Postgres', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let service: TemplatesService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [TemplateEntity, GenerationEntity],
      migrations: [AiTemplatesInit1763800000000],
      migrationsRun: true,
    });
    await ds.initialize();
    service = new TemplatesService(new TemplatesRepository(ds), new MetadataGenerator(new OfflineProvider(), new FakeClock()));
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('pre-loads the seed template as active, once, even under concurrent first calls', async () => {
    const lists = await Promise.all([service.list('ws-a'), service.list('ws-a'), service.list('ws-a')]);
    for (const list of lists) expect(list.map((t) => t.name)).toEqual([DEFAULT_TEMPLATE_NAME]);
    expect((await service.active('ws-a')).variables).toEqual(['filename', 'game_context']);
  });

  it('keeps exactly one active template per workspace and never deletes the active one', async () => {
    const b = await service.create('ws-b', { name: 'Short', promptText: 'Title for {filename}', activate: false });
    const seeded = await service.active('ws-b');
    expect(seeded.id).not.toBe(b.id);
    await service.activate('ws-b', b.id);
    const all = await service.list('ws-b');
    expect(all.filter((t) => t.isActive).map((t) => t.id)).toEqual([b.id]);
    expect(await codeOf(service.delete('ws-b', b.id))).toBe('template_active');
    await service.delete('ws-b', seeded.id);
    expect((await service.list('ws-b')).map((t) => t.id)).toEqual([b.id]);
  });

  it('a partial update changes only the fields given (PATCH /api/ai/templates/{id})', async () => {
    const t = await service.create('ws-p', { name: 'Original', promptText: 'Title for {filename}', activate: false });
    const renamed = await service.update('ws-p', t.id, { name: 'Renamed' });
    expect(renamed).toMatchObject({ name: 'Renamed', promptText: 'Title for {filename}' });
    const reworded = await service.update('ws-p', t.id, { promptText: 'Caption for {filename}' });
    expect(reworded).toMatchObject({ name: 'Renamed', promptText: 'Caption for {filename}' });
  });

  it('isolates workspaces: another workspace cannot read, change, activate or delete a template', async () => {
    const t = await service.create('ws-c', { name: 'Mine', promptText: '{filename}', activate: false });
    expect(await codeOf(service.get('ws-d', t.id))).toBe('not_found');
    expect(await codeOf(service.update('ws-d', t.id, { name: 'x' }))).toBe('not_found');
    expect(await codeOf(service.activate('ws-d', t.id))).toBe('not_found');
    expect(await codeOf(service.delete('ws-d', t.id))).toBe('not_found');
    expect((await service.get('ws-c', t.id)).name).toBe('Mine');
  });

  it('rejects unknown variables on create and update and stores nothing', async () => {
    expect(await codeOf(service.create('ws-e', { name: 'Bad', promptText: '{nope}', activate: false }))).toBe('validation_failed');
    const t = await service.create('ws-e', { name: 'Ok', promptText: '{filename}', activate: false });
    expect(await codeOf(service.update('ws-e', t.id, { promptText: 'x {nope}' }))).toBe('validation_failed');
    expect((await service.get('ws-e', t.id)).promptText).toBe('{filename}');
    expect((await service.list('ws-e')).map((x) => x.name).sort()).toEqual([DEFAULT_TEMPLATE_NAME, 'Ok'].sort());
  });

  it('tests an unsaved prompt and generates with the active template, recording each generation', async () => {
    const tested = await service.testPrompt('ws-f', {
      promptText: 'Clip {filename} in {game_context}',
      filename: 'ace_round.mp4',
      gameContext: 'cs2',
      variables: {},
    });
    expect(tested).toMatchObject({ title: 'Ace Round | Cs2', provider: 'offline', offline: true, templateId: null });
    expect(tested.prompt).toBe('Clip ace_round.mp4 in cs2');
    const generated = await service.generate('ws-f', undefined, { filename: 'x.mp4', game_context: 'fortnite' });
    expect(generated.templateId).toBe((await service.active('ws-f')).id);
    const rows = await ds.getRepository(GenerationEntity).find({ where: { workspaceId: 'ws-f' } });
    expect(rows).toHaveLength(2);
    expect(await codeOf(service.generate('ws-f', '00000000-0000-0000-0000-000000000000', {}))).toBe('not_found');
  });
});
