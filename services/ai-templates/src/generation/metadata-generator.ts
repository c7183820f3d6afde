import type { GeneratedMetadata } from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import type { AiProvider, ChatMessage } from '../providers/ai-provider';
import { placeholdersOf, renderTemplate } from '../templates/template-variables';
import { parseGeneratedMetadata } from './metadata-parser';

const SYSTEM_PROMPT =
  'You write social media metadata. Answer with one JSON object only: {"title": string (max 100 characters), ' +
  '"caption": string (max 2200 characters), "hashtags": array of 10 to 15 strings starting with #}.';

export interface GenerationResult extends GeneratedMetadata {
  provider: string;
  offline: boolean;
  prompt: string;
  missingVariables: string[];
  attempts: number;
  elapsedMs: number;
}

/**
 * Renders a template, asks the provider, validates the reply, and retries exactly once with the
 * validation errors when the first reply does not fit the schema.
 */
export class MetadataGenerator {
  constructor(
    private readonly provider: AiProvider,
    private readonly clock: Clock,
  ) {}

  get providerName(): string {
    return this.provider.name;
  }

  async generate(promptText: string, variables: Record<string, string>): Promise<GenerationResult> {
    const started = this.clock.nowMs();
    const { prompt, missing } = renderTemplate(promptText, variables);
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
    let lastErrors: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const raw = await this.provider.complete({ system: SYSTEM_PROMPT, messages, variables: usedBy(promptText, variables) });
      const parsed = parseGeneratedMetadata(raw);
      if (parsed.ok) {
        return {
          ...parsed.value,
          provider: this.provider.name,
          offline: this.provider.offline,
          prompt,
          missingVariables: missing,
          attempts: attempt,
          elapsedMs: this.clock.nowMs() - started,
        };
      }
      lastErrors = parsed.errors;
      messages.push(
        { role: 'assistant', content: raw },
        {
          role: 'user',
          content: `Your answer does not fit the required format:\n- ${parsed.errors.join('\n- ')}\nAnswer again with the corrected JSON object only.`,
        },
      );
    }
    throw new AppError('ai_invalid_output', 'The AI provider twice returned metadata that does not fit the schema', 502, {
      errors: lastErrors,
    });
  }
}

/** The variables the template refers to: what it asks for is all a provider may use. */
function usedBy(promptText: string, variables: Record<string, string>): Record<string, string> {
  const wanted = new Set(placeholdersOf(promptText));
  return Object.fromEntries(Object.entries(variables).filter(([k]) => wanted.has(k)));
}
