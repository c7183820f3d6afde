import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AiTemplateActivate,
  AiTemplateCreate,
  AiTemplateDelete,
  AiTemplateGet,
  AiTemplateGetActive,
  AiTemplatesList,
  AiTemplateUpdate,
  AiTestPrompt,
  templateReplaceSchema,
} from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { jsonObjectBody } from '../../http/json-body';
import { jsonSchemaOf, ZodPipe } from '../../http/zod.pipe';
import { CommandProxy } from '../../proxy/command-proxy.service';

/** Seed 001's AI template endpoints, served by the ai-templates service over the bus. */
@ApiTags('ai-templates')
@Controller('ai')
export class AiTemplatesController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get('templates')
  @ApiOperation({ summary: 'List templates (the seed template is pre-loaded and active in a new workspace)' })
  list(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(AiTemplatesList, p, {});
  }

  @Get('templates/active')
  @ApiOperation({ summary: 'The active template' })
  active(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(AiTemplateGetActive, p, {});
  }

  @Get('templates/:id')
  @ApiOperation({ summary: 'One template' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(AiTemplateGet, p, { id });
  }

  @Post('templates')
  @MinRole('editor')
  @ApiOperation({ summary: 'Create a template; variables are checked against the known set' })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(AiTemplateCreate, p, body);
  }

  @Put('templates/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Replace a template: name and promptText both required' })
  @ApiBody({ schema: jsonSchemaOf(templateReplaceSchema) })
  replace(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    const full = new ZodPipe(templateReplaceSchema).transform(jsonObjectBody(body));
    return this.proxy.call(AiTemplateUpdate, p, { name: full.name, promptText: full.promptText, id });
  }

  @Patch('templates/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Edit a template: fields left out keep their value' })
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(AiTemplateUpdate, p, { ...jsonObjectBody(body), id });
  }

  @Delete('templates/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Delete a template (not the active one)' })
  remove(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(AiTemplateDelete, p, { id });
  }

  @Post('templates/:id/activate')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make this the one active template of the workspace' })
  activate(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(AiTemplateActivate, p, { id });
  }

  @Post('test-prompt')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a template with sample values and generate title, caption and hashtags' })
  testPrompt(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(AiTestPrompt, p, body, { timeoutMs: 60_000 });
  }
}
