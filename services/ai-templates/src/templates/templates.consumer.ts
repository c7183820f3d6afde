import { Injectable } from '@nestjs/common';
import { OnCommand } from '@sx/bus';
import {
  AiGenerate,
  AiTemplateActivate,
  AiTemplateCreate,
  AiTemplateDelete,
  AiTemplateGet,
  AiTemplateGetActive,
  AiTemplatesList,
  AiTemplateUpdate,
  AiTestPrompt,
  type AiTemplate,
  type CommandContext,
  type CommandReply,
  type CommandRequest,
  type GenerationResult,
} from '@sx/contracts';
import { TemplatesService } from './templates.service';

const ok = <T>(data: T): CommandReply<T> => ({ ok: true, data });

/**
 * Bus commands of the ai-templates service. Every handler is scoped to ctx.workspaceId.
 * Idempotency: reads are pure; create is not idempotent (a retried create makes a second template),
 * update/activate/delete converge to the same state when repeated.
 */
@Injectable()
export class TemplatesConsumer {
  constructor(private readonly templates: TemplatesService) {}

  @OnCommand(AiTemplatesList)
  async list(_r: CommandRequest<typeof AiTemplatesList>, ctx: CommandContext): Promise<CommandReply<{ items: AiTemplate[] }>> {
    return ok({ items: await this.templates.list(ctx.workspaceId) });
  }

  @OnCommand(AiTemplateGet)
  async get(r: CommandRequest<typeof AiTemplateGet>, ctx: CommandContext): Promise<CommandReply<AiTemplate>> {
    return ok(await this.templates.get(ctx.workspaceId, r.id));
  }

  @OnCommand(AiTemplateGetActive)
  async active(_r: CommandRequest<typeof AiTemplateGetActive>, ctx: CommandContext): Promise<CommandReply<AiTemplate>> {
    return ok(await this.templates.active(ctx.workspaceId));
  }

  @OnCommand(AiTemplateCreate)
  async create(r: CommandRequest<typeof AiTemplateCreate>, ctx: CommandContext): Promise<CommandReply<AiTemplate>> {
    return ok(await this.templates.create(ctx.workspaceId, r));
  }

  @OnCommand(AiTemplateUpdate)
  async update(r: CommandRequest<typeof AiTemplateUpdate>, ctx: CommandContext): Promise<CommandReply<AiTemplate>> {
    return ok(await this.templates.update(ctx.workspaceId, r.id, { name: r.name, promptText: r.promptText }));
  }

  @OnCommand(AiTemplateDelete)
  async remove(r: CommandRequest<typeof AiTemplateDelete>, ctx: CommandContext): Promise<CommandReply<{ deleted: true }>> {
    await this.templates.delete(ctx.workspaceId, r.id);
    return ok({ deleted: true as const });
  }

  @OnCommand(AiTemplateActivate)
  async activate(r: CommandRequest<typeof AiTemplateActivate>, ctx: CommandContext): Promise<CommandReply<AiTemplate>> {
    return ok(await this.templates.activate(ctx.workspaceId, r.id));
  }

  @OnCommand(AiTestPrompt)
  async testPrompt(r: CommandRequest<typeof AiTestPrompt>, ctx: CommandContext): Promise<CommandReply<GenerationResult>> {
    return ok(await this.templates.testPrompt(ctx.workspaceId, r));
  }

  @OnCommand(AiGenerate)
  async generate(r: CommandRequest<typeof AiGenerate>, ctx: CommandContext): Promise<CommandReply<GenerationResult>> {
    return ok(await this.templates.generate(ctx.workspaceId, r.templateId, r.variables));
  }
}
