import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_TEXT } from './default-template';
import { GenerationEntity, TemplateEntity } from './template.entity';
import { placeholdersOf } from './template-variables';

/** Every method takes the workspace first: no query runs without it. */
export class TemplatesRepository {
  constructor(private readonly db: DataSource) {}

  /** Lists a workspace's templates, creating the seed's default (active) on first use. */
  async list(workspaceId: string): Promise<TemplateEntity[]> {
    await this.ensureDefault(workspaceId);
    return this.db.getRepository(TemplateEntity).find({ where: { workspaceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async get(workspaceId: string, id: string): Promise<TemplateEntity | null> {
    if (!isUuid(id)) return null;
    return this.db.getRepository(TemplateEntity).findOne({ where: { workspaceId, id } });
  }

  async active(workspaceId: string): Promise<TemplateEntity | null> {
    await this.ensureDefault(workspaceId);
    return this.db.getRepository(TemplateEntity).findOne({ where: { workspaceId, isActive: true } });
  }

  async create(workspaceId: string, name: string, promptText: string, activate: boolean): Promise<TemplateEntity> {
    await this.ensureDefault(workspaceId);
    return this.db.transaction(async (m) => {
      if (activate) await this.deactivateAll(m, workspaceId);
      const row = m.create(TemplateEntity, { workspaceId, name, promptText, isActive: activate, variables: placeholdersOf(promptText) });
      return m.save(row);
    });
  }

  async update(workspaceId: string, id: string, patch: { name?: string; promptText?: string }): Promise<TemplateEntity | null> {
    const row = await this.get(workspaceId, id);
    if (!row) return null;
    if (patch.name !== undefined) row.name = patch.name;
    if (patch.promptText !== undefined) {
      row.promptText = patch.promptText;
      row.variables = placeholdersOf(patch.promptText);
    }
    return this.db.getRepository(TemplateEntity).save(row);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const res = await this.db.getRepository(TemplateEntity).delete({ workspaceId, id });
    return (res.affected ?? 0) > 0;
  }

  /** Exactly one active template per workspace, enforced by a partial unique index too. */
  async activate(workspaceId: string, id: string): Promise<TemplateEntity | null> {
    return this.db.transaction(async (m) => {
      const row = isUuid(id) ? await m.findOne(TemplateEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!row) return null;
      await this.deactivateAll(m, workspaceId);
      row.isActive = true;
      return m.save(row);
    });
  }

  async recordGeneration(row: Omit<GenerationEntity, 'id' | 'createdAt'>): Promise<void> {
    const repo = this.db.getRepository(GenerationEntity);
    await repo.save(repo.create(row));
  }

  private async deactivateAll(m: EntityManager, workspaceId: string): Promise<void> {
    await m.update(TemplateEntity, { workspaceId, isActive: true }, { isActive: false });
  }

  /**
   * Seeds the default template once per workspace. The seed marker (not the template count) decides,
   * so a workspace that deleted every template is not re-seeded; ON CONFLICT makes racing calls safe.
   */
  private async ensureDefault(workspaceId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO ai_templates.workspace_seeds (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING workspace_id`,
        [workspaceId],
      );
      if (inserted.length === 0) return;
      const hasActive = await m.exists(TemplateEntity, { where: { workspaceId, isActive: true } });
      await m.insert(TemplateEntity, {
        workspaceId,
        name: DEFAULT_TEMPLATE_NAME,
        promptText: DEFAULT_TEMPLATE_TEXT,
        isActive: !hasActive,
        variables: placeholdersOf(DEFAULT_TEMPLATE_TEXT),
      });
    });
  }
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
