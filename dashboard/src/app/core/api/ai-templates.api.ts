import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';

export interface AiTemplate {
  id: string;
  name: string;
  promptText: string;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateDraft {
  name: string;
  promptText: string;
}

export interface PromptTestResult {
  title: string;
  caption: string;
  hashtags: string[];
  provider?: string;
  /** True when no AI model is configured and the built-in generator wrote this. */
  offline?: boolean;
  elapsedMs?: number;
}

/** Variables the prompt text may reference: the ai-templates service's KNOWN_VARIABLES plus `metadata.*`. */
export const TEMPLATE_VARIABLES: readonly { name: string; means: string }[] = [
  { name: '{filename}', means: "the media file's name" },
  { name: '{game_context}', means: 'the game or topic you give' },
  { name: '{platform}', means: 'the platform being written for' },
  { name: '{title}', means: "the post's title" },
  { name: '{duration}', means: 'video length in seconds' },
  { name: '{width}', means: 'width in pixels' },
  { name: '{height}', means: 'height in pixels' },
  { name: '{kind}', means: 'image, video or gif' },
  { name: '{metadata.<field>}', means: "any field of the file's probed metadata" },
];

@Injectable({ providedIn: 'root' })
export class AiTemplatesApi {
  private readonly api = inject(ApiClient);

  async list(): Promise<AiTemplate[]> {
    return (await this.api.get<{ items: AiTemplate[] }>('/api/ai/templates')).items;
  }
  active(): Promise<AiTemplate> {
    return this.api.get<AiTemplate>('/api/ai/templates/active');
  }
  create(draft: TemplateDraft): Promise<AiTemplate> {
    return this.api.post<AiTemplate>('/api/ai/templates', draft);
  }
  update(id: string, draft: TemplateDraft): Promise<AiTemplate> {
    return this.api.put<AiTemplate>(`/api/ai/templates/${seg(id)}`, draft);
  }
  remove(id: string): Promise<void> {
    return this.api.delete(`/api/ai/templates/${seg(id)}`);
  }
  activate(id: string): Promise<AiTemplate> {
    return this.api.post<AiTemplate>(`/api/ai/templates/${seg(id)}/activate`);
  }
  test(req: { templateId?: string; promptText?: string; filename: string; gameContext: string; variables?: Record<string, string> }): Promise<PromptTestResult> {
    return this.api.post<PromptTestResult>('/api/ai/test-prompt', {
      templateId: req.templateId,
      promptText: req.promptText,
      filename: req.filename,
      gameContext: req.gameContext,
      variables: req.variables,
    });
  }
}
