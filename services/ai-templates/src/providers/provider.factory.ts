import type { AppConfig } from '@sx/config';
import type { AiProvider } from './ai-provider';
import { AnthropicProvider } from './anthropic.provider';
import { OfflineProvider } from './offline.provider';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

/** The provider the configuration names; the offline one when none is configured. */
export function createAiProvider(ai: AppConfig['ai']): AiProvider {
  if (ai.provider === 'offline' || !ai.baseUrl) return new OfflineProvider();
  const opts = { baseUrl: ai.baseUrl, model: ai.model ?? defaultModel(ai.provider), apiKey: ai.apiKey, timeoutMs: ai.timeoutMs };
  return ai.provider === 'anthropic' ? new AnthropicProvider(opts) : new OpenAiCompatibleProvider(opts);
}

function defaultModel(provider: 'openai' | 'anthropic'): string {
  return provider === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4o-mini';
}
