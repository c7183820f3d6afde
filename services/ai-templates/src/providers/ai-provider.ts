import { AppError } from '@sx/service-kit';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  /** Variables the offline provider reads directly; remote providers only see the rendered prompt. */
  variables: Record<string, string>;
}

/** One model backend. Returns the raw text the model wrote; parsing and validation happen above it. */
export interface AiProvider {
  readonly name: string;
  readonly offline: boolean;
  complete(request: CompletionRequest): Promise<string>;
}

export const AI_PROVIDER = Symbol('AI_PROVIDER');

/** Errors a provider call can end in, as coded AppErrors the gateway passes on. */
export const providerErrors = {
  rateLimited: (provider: string, retryAfterS?: number) =>
    new AppError(
      'ai_rate_limited',
      `The AI provider ${provider} is rate limiting requests${retryAfterS ? `; retry in ${retryAfterS} s` : ''}`,
      429,
      retryAfterS ? { retryAfterS } : undefined,
    ),
  timeout: (provider: string, ms: number) =>
    new AppError('ai_timeout', `The AI provider ${provider} did not answer within ${ms} ms`, 504),
  auth: (provider: string) =>
    new AppError('ai_auth_failed', `The AI provider ${provider} rejected the configured API key`, 502),
  upstream: (provider: string, status: number, message: string) =>
    new AppError('ai_provider_error', `The AI provider ${provider} failed (${status}): ${message}`, 502),
  badReply: (provider: string, message: string) =>
    new AppError('ai_bad_reply', `The AI provider ${provider} sent a reply we cannot read: ${message}`, 502),
};
