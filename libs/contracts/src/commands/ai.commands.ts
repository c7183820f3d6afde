import { z } from 'zod';
import { defineCommand } from '../define';

/** Metadata the AI-templates service generates for one asset (seed 001's contract). */
export const generatedMetadataSchema = z.object({
  title: z.string().min(1).max(100),
  caption: z.string().max(2200),
  hashtags: z.array(z.string().regex(/^#?[\p{L}\p{N}_]+$/u)).min(10).max(15),
});
export type GeneratedMetadata = z.infer<typeof generatedMetadataSchema>;

export const AiGenerate = defineCommand(
  'ai',
  'generate',
  z.object({
    templateId: z.string().optional(),
    variables: z.record(z.string(), z.string()),
  }),
  generatedMetadataSchema.extend({ provider: z.string(), templateId: z.string(), elapsedMs: z.number() }),
);
