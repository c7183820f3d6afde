import type { AiProvider, CompletionRequest } from './ai-provider';
import { providerErrors } from './ai-provider';
import { postJson } from './provider-http';

export interface RemoteProviderOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

/** OpenAI chat completions; also Ollama, vLLM, llama.cpp server and LM Studio, which speak the same API. */
export class OpenAiCompatibleProvider implements AiProvider {
  readonly name = 'openai-compatible';
  readonly offline = false;

  constructor(private readonly opts: RemoteProviderOptions) {}

  async complete(request: CompletionRequest): Promise<string> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const headers: Record<string, string> = this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {};
    const body = {
      model: this.opts.model,
      stream: false,
      temperature: 0.7,
      messages: [{ role: 'system', content: request.system }, ...request.messages],
    };
    const reply = (await postJson(this.name, url, headers, body, this.opts.timeoutMs)) as {
      choices?: { message?: { content?: unknown } }[];
    };
    const content = reply.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw providerErrors.badReply(this.name, 'choices[0].message.content is missing');
    return content;
  }
}
