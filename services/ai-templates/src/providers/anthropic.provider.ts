import type { AiProvider, CompletionRequest } from './ai-provider';
import { providerErrors } from './ai-provider';
import { postJson } from './provider-http';
import type { RemoteProviderOptions } from './openai-compatible.provider';

const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic's Messages API. */
export class AnthropicProvider implements AiProvider {
  readonly name = 'anthropic';
  readonly offline = false;

  constructor(private readonly opts: RemoteProviderOptions) {}

  async complete(request: CompletionRequest): Promise<string> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/v1/messages`;
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (this.opts.apiKey) headers['x-api-key'] = this.opts.apiKey;
    const body = { model: this.opts.model, max_tokens: 1024, system: request.system, messages: request.messages };
    const reply = (await postJson(this.name, url, headers, body, this.opts.timeoutMs)) as {
      content?: { type?: string; text?: unknown }[];
    };
    const text = reply.content
      ?.filter((b) => b.type === 'text' && typeof b.text === 'string')
      .map((b) => b.text as string)
      .join('');
    if (!text) throw providerErrors.badReply(this.name, 'the reply has no text content block');
    return text;
  }
}
