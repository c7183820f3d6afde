import type { AiTemplate, GenerationResult } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import type { MetadataGenerator } from '../generation/metadata-generator';
import type { TemplateEntity } from './template.entity';
import { assertTemplateValid } from './template-variables';
import type { TemplatesRepository } from './templates.repository';

export interface TestPromptInput {
  templateId?: string;
  promptText?: string;
  filename: string;
  gameContext: string;
  variables: Record<string, string>;
}

/** Template CRUD, activation and generation for one workspace at a time. */
export class TemplatesService {
  constructor(
    private readonly repo: TemplatesRepository,
    private readonly generator: MetadataGenerator,
  ) {}

  async list(workspaceId: string): Promise<AiTemplate[]> {
    return (await this.repo.list(workspaceId)).map(toDto);
  }

  async get(workspaceId: string, id: string): Promise<AiTemplate> {
    return toDto(await this.found(workspaceId, id));
  }

  async active(workspaceId: string): Promise<AiTemplate> {
    const row = await this.repo.active(workspaceId);
    if (!row) throw new AppError('no_active_template', 'This workspace has no active template; activate one first', 404);
    return toDto(row);
  }

  async create(workspaceId: string, input: { name: string; promptText: string; activate: boolean }): Promise<AiTemplate> {
    assertTemplateValid(input.promptText);
    return toDto(await this.repo.create(workspaceId, input.name, input.promptText, input.activate));
  }

  async update(workspaceId: string, id: string, patch: { name?: string; promptText?: string }): Promise<AiTemplate> {
    if (patch.promptText !== undefined) assertTemplateValid(patch.promptText);
    const row = await this.repo.update(workspaceId, id, patch);
    if (!row) throw AppError.notFound('Template', id);
    return toDto(row);
  }

  /** The active template cannot be deleted: generation would silently fall back otherwise. */
  async delete(workspaceId: string, id: string): Promise<void> {
    const row = await this.found(workspaceId, id);
    if (row.isActive) {
      throw AppError.conflict('template_active', 'The active template cannot be deleted; activate another one first');
    }
    await this.repo.delete(workspaceId, id);
  }

  async activate(workspaceId: string, id: string): Promise<AiTemplate> {
    const row = await this.repo.activate(workspaceId, id);
    if (!row) throw AppError.notFound('Template', id);
    return toDto(row);
  }

  async testPrompt(workspaceId: string, input: TestPromptInput): Promise<GenerationResult> {
    const template = input.promptText === undefined ? await this.pick(workspaceId, input.templateId) : undefined;
    const promptText = input.promptText ?? (template as TemplateEntity).promptText;
    assertTemplateValid(promptText);
    const variables = { ...input.variables, filename: input.filename, game_context: input.gameContext };
    return this.run(workspaceId, template?.id ?? null, promptText, variables);
  }

  async generate(workspaceId: string, templateId: string | undefined, variables: Record<string, string>): Promise<GenerationResult> {
    const template = await this.pick(workspaceId, templateId);
    return this.run(workspaceId, template.id, template.promptText, variables);
  }

  private async run(
    workspaceId: string,
    templateId: string | null,
    promptText: string,
    variables: Record<string, string>,
  ): Promise<GenerationResult> {
    try {
      const result = await this.generator.generate(promptText, variables);
      const { title, caption, hashtags } = result;
      await this.repo.recordGeneration({
        workspaceId,
        templateId,
        provider: result.provider,
        variables,
        output: { title, caption, hashtags },
        errorCode: null,
        attempts: result.attempts,
        elapsedMs: Math.round(result.elapsedMs),
      });
      return { ...result, templateId };
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'internal_error';
      await this.repo.recordGeneration({ workspaceId, templateId, provider: this.generator.providerName, variables, output: null, errorCode: code, attempts: 0, elapsedMs: 0 });
      throw e;
    }
  }

  private async pick(workspaceId: string, templateId?: string): Promise<TemplateEntity> {
    if (templateId) return this.found(workspaceId, templateId);
    const row = await this.repo.active(workspaceId);
    if (!row) throw new AppError('no_active_template', 'This workspace has no active template; activate one first', 404);
    return row;
  }

  private async found(workspaceId: string, id: string): Promise<TemplateEntity> {
    const row = await this.repo.get(workspaceId, id);
    if (!row) throw AppError.notFound('Template', id);
    return row;
  }
}

function toDto(row: TemplateEntity): AiTemplate {
  return {
    id: row.id,
    name: row.name,
    promptText: row.promptText,
    isActive: row.isActive,
    variables: row.variables,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
