import { AppError, systemClock } from '@sx/service-kit';
import { MetadataGenerator } from '../generation/metadata-generator';
import { DEFAULT_TEMPLATE_TEXT } from '../templates/default-template';
import { AnthropicProvider } from './anthropic.provider';
import { anthropicReply, hang, json, openAiReply, startModelServer } from './fake-model-server';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

const good = JSON.stringify({
  title: 'Insane clutch',
  caption: 'You will not believe this 🎮',
  hashtags: Array.from({ length: 11 }, (_, i) => `#t${i}`),
});
const vars = { filename: 'clutch.mp4', game_context: 'gaming' };

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe('OpenAI-compatible provider over HTTP', () => {
  it('sends the rendered prompt with the bearer key, stream off, and returns validated metadata', async () => {
    const srv = await startModelServer([openAiReply(good)]);
    try {
      const provider = new OpenAiCompatibleProvider({ baseUrl: `${srv.url}/v1`, model: 'llama3', apiKey: 'sk-secret', timeoutMs: 2000 });
      const r = await new MetadataGenerator(provider, systemClock).generate(DEFAULT_TEMPLATE_TEXT, vars);
      expect(r).toMatchObject({ title: 'Insane clutch', provider: 'openai-compatible', offline: false, attempts: 1 });
      expect(srv.requests[0].path).toBe('/v1/chat/completions');
      expect(srv.requests[0].headers.authorization).toBe('Bearer sk-secret');
      expect(srv.requests[0].body).toMatchObject({ model: 'llama3', stream: false });
      const messages = srv.requests[0].body['messages'] as { content: string }[];
      expect(messages[1].content).toContain('Given a video filename: clutch.mp4');
    } finally {
      await srv.close();
    }
  });

  it('retries once with the validation errors, then succeeds', async () => {
    const srv = await startModelServer([openAiReply('{"title": "x", "caption": "y", "hashtags": ["#a"]}'), openAiReply(good)]);
    try {
      const provider = new OpenAiCompatibleProvider({ baseUrl: srv.url, model: 'm', timeoutMs: 2000 });
      const r = await new MetadataGenerator(provider, systemClock).generate('{filename}', vars);
      expect(r.attempts).toBe(2);
      const retry = srv.requests[1].body['messages'] as { role: string; content: string }[];
      expect(retry[retry.length - 1].content).toMatch(/hashtags/);
    } finally {
      await srv.close();
    }
  });

  it('reports invalid output after the one retry', async () => {
    const srv = await startModelServer([openAiReply('no json here')]);
    try {
      const provider = new OpenAiCompatibleProvider({ baseUrl: srv.url, model: 'm', timeoutMs: 2000 });
      const err = await errorOf(new MetadataGenerator(provider, systemClock).generate('{filename}', vars));
      expect(err.code).toBe('ai_invalid_output');
      expect(srv.requests).toHaveLength(2);
    } finally {
      await srv.close();
    }
  });

  it('maps 429 with Retry-After, 401, 500 and a timeout to coded errors without leaking the key', async () => {
    const srv = await startModelServer([
      json(429, { error: { message: 'slow down' } }, { 'retry-after': '7' }),
      json(401, { error: { message: 'bad key sk-secret' } }),
      json(500, { error: { message: 'model crashed' } }),
      hang,
    ]);
    try {
      const provider = new OpenAiCompatibleProvider({ baseUrl: srv.url, model: 'm', apiKey: 'sk-secret', timeoutMs: 300 });
      const call = () => provider.complete({ system: 's', messages: [{ role: 'user', content: 'p' }], variables: {} });
      const limited = await errorOf(call());
      expect([limited.code, limited.status, limited.details]).toEqual(['ai_rate_limited', 429, { retryAfterS: 7 }]);
      const auth = await errorOf(call());
      expect(auth.code).toBe('ai_auth_failed');
      expect(auth.message).not.toContain('sk-secret');
      const upstream = await errorOf(call());
      expect(upstream.code).toBe('ai_provider_error');
      expect(upstream.message).toContain('model crashed');
      const timeout = await errorOf(call());
      expect([timeout.code, timeout.status]).toEqual(['ai_timeout', 504]);
    } finally {
      await srv.close();
    }
  });
});

describe('Anthropic provider over HTTP', () => {
  it('uses the messages API with x-api-key and anthropic-version, and reads the text blocks', async () => {
    const srv = await startModelServer([anthropicReply(`Here you go: ${good}`)]);
    try {
      const provider = new AnthropicProvider({ baseUrl: srv.url, model: 'claude', apiKey: 'ak-secret', timeoutMs: 2000 });
      const r = await new MetadataGenerator(provider, systemClock).generate(DEFAULT_TEMPLATE_TEXT, vars);
      expect(r.title).toBe('Insane clutch');
      expect(srv.requests[0].path).toBe('/v1/messages');
      expect(srv.requests[0].headers['x-api-key']).toBe('ak-secret');
      expect(srv.requests[0].headers['anthropic-version']).toBe('2023-06-01');
      expect(srv.requests[0].body).toMatchObject({ model: 'claude', max_tokens: 1024 });
      expect(typeof srv.requests[0].body['system']).toBe('string');
    } finally {
      await srv.close();
    }
  });

  it('treats a reply without text blocks as a bad reply', async () => {
    const srv = await startModelServer([json(200, { content: [] })]);
    try {
      const provider = new AnthropicProvider({ baseUrl: srv.url, model: 'claude', timeoutMs: 2000 });
      const err = await errorOf(provider.complete({ system: 's', messages: [], variables: {} }));
      expect(err.code).toBe('ai_bad_reply');
    } finally {
      await srv.close();
    }
  });
});
