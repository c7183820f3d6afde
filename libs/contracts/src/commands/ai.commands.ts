import { z } from 'zod';
import { defineCommand } from '../define';

/** Metadata the AI-templates service generates for one asset (seed 001's contract). */
export const generatedMetadataSchema = z.object({
  title: z.string().min(1).max(100),
  caption: z.string().max(2200),
  hashtags: z.array(z.string().regex(/^#[\p{L}\p{N}_]+$/u, 'a hashtag is # followed by letters, digits or _')).min(10).max(15),
});
export type GeneratedMetadata = z.infer<typeof generatedMetadataSchema>;

export const aiTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  promptText: z.string(),
  isActive: z.boolean(),
  variables: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AiTemplate = z.infer<typeof aiTemplateSchema>;

const templateInput = z.object({
  name: z.string().trim().min(1).max(120),
  promptText: z.string().min(1).max(20_000),
});
const byId = z.object({ id: z.string().min(1).max(64) });

export const generationResultSchema = generatedMetadataSchema.extend({
  provider: z.string(),
  offline: z.boolean(),
  prompt: z.string(),
  missingVariables: z.array(z.string()),
  attempts: z.number().int(),
  elapsedMs: z.number(),
  templateId: z.string().nullable(),
});
export type GenerationResult = z.infer<typeof generationResultSchema>;

export const AiTemplatesList = defineCommand('ai', 'templates.list', z.object({}), z.object({ items: z.array(aiTemplateSchema) }));
export const AiTemplateGet = defineCommand('ai', 'templates.get', byId, aiTemplateSchema);
export const AiTemplateGetActive = defineCommand('ai', 'templates.active', z.object({}), aiTemplateSchema);
export const AiTemplateCreate = defineCommand(
  'ai',
  'templates.create',
  templateInput.extend({ activate: z.boolean().default(false) }),
  aiTemplateSchema,
);
/** Partial edit (PATCH semantics: absent = unchanged). PUT validates the full `templateReplaceSchema` first. */
export const AiTemplateUpdate = defineCommand('ai', 'templates.update', byId.extend(templateInput.partial().shape), aiTemplateSchema);
export const templateReplaceSchema = templateInput;
export const AiTemplateDelete = defineCommand('ai', 'templates.delete', byId, z.object({ deleted: z.literal(true) }));
export const AiTemplateActivate = defineCommand('ai', 'templates.activate', byId, aiTemplateSchema);

/** Seed 001's "Test Prompt": a template (saved or unsaved) rendered with sample values. */
export const AiTestPrompt = defineCommand(
  'ai',
  'test-prompt',
  z
    .object({
      templateId: z.string().max(64).optional(),
      promptText: z.string().min(1).max(20_000).optional(),
      filename: z.string().max(255).default('sample_clip.mp4'),
      gameContext: z.string().max(500).default('gaming'),
      variables: z.record(z.string(), z.string().max(2000)).default({}),
    })
    .refine((r) => !(r.templateId && r.promptText), { message: 'give templateId or promptText, not both' }),
  generationResultSchema,
);

/** Used by the pipeline's AI stage and the watch-folder flow; the active template when none is named. */
export const AiGenerate = defineCommand(
  'ai',
  'generate',
  z.object({
    templateId: z.string().max(64).optional(),
    variables: z.record(z.string(), z.string().max(2000)),
  }),
  generationResultSchema,
);
