import type { AiProvider, CompletionRequest } from './ai-provider';
import { readTemplateCues, type TemplateCues } from './template-cues';

const STOP_WORDS = new Set(['the', 'a', 'an', 'and', 'of', 'in', 'on', 'clip', 'video', 'final', 'copy', 'img', 'vid']);
const BASE_TAGS = ['gaming', 'gamer', 'gameplay', 'clips', 'highlights', 'videogames', 'gamingcommunity', 'epic', 'fyp', 'viral', 'streamer', 'twitch', 'shorts', 'reels', 'content'];

/**
 * Used when no model is configured. Follows the active template as far as a program can without a
 * model: a filled-in example answer in the template is used as written; otherwise title, caption and
 * hashtags are derived from the variables the template uses, within the lengths, hashtag count and
 * emoji wish the template states. Deterministic (same input, same output). That the text came from
 * the offline generator is reported beside the result (`offline: true`), never inside the caption.
 */
export class OfflineProvider implements AiProvider {
  readonly name = 'offline';
  readonly offline = true;

  async complete(request: CompletionRequest): Promise<string> {
    const prompt = request.messages.find((m) => m.role === 'user')?.content ?? '';
    const cues = readTemplateCues(prompt);
    if (cues.example) return JSON.stringify(fitExample(cues.example, cues));
    return JSON.stringify(derive(request.variables, cues));
  }
}

function fitExample(example: NonNullable<TemplateCues['example']>, cues: TemplateCues) {
  const tags = example.hashtags.length >= 10 ? example.hashtags : [...new Set([...example.hashtags, ...BASE_TAGS.map((t) => `#${t}`)])];
  return {
    title: truncate(example.title, cues.titleMax),
    caption: truncate(example.caption, cues.captionMax),
    hashtags: tags.slice(0, cues.hashtagCount),
  };
}

function derive(v: Record<string, string>, cues: TemplateCues) {
  // The generator passes only the variables the template uses.
  const used = (name: string) => v[name] !== undefined;
  const words = wordsOf(v['filename'] ?? '');
  const context = used('game_context') ? (v['game_context'] ?? '').trim() : '';
  const subject = (used('title') && v['title']?.trim()) || (words.length ? words.map(capitalise).join(' ') : 'New clip');
  const title = truncate(context ? `${subject} | ${capitalise(context)}` : subject, cues.titleMax);
  const duration = Number(v['duration'] ?? v['metadata.duration']);
  const length = used('duration') && Number.isFinite(duration) && duration > 0 ? ` (${Math.round(duration)} s)` : '';
  const where = used('platform') && v['platform'] ? ` on ${capitalise(v['platform'])}` : '';
  const emoji = cues.emoji ? ' 🎮🔥' : '';
  const caption = truncate(`${subject}${length}${context ? ` — ${context}` : ''}${where}. Watch till the end!${emoji}`, cues.captionMax);
  const tags = [...words, ...wordsOf(context)]
    .map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}_]/gu, ''))
    .filter((w) => w.length > 1);
  const hashtags = [...new Set([...tags, ...BASE_TAGS])].slice(0, cues.hashtagCount).map((t) => `#${t}`);
  return { title, caption, hashtags };
}

function wordsOf(text: string): string[] {
  const stem = text.replace(/\.[a-z0-9]{2,5}$/i, '');
  return stem
    .split(/[\s_\-.]+|(?<=[a-z])(?=[A-Z])/)
    .map((w) => w.trim())
    .filter((w) => w && !/^\d+$/.test(w) && !STOP_WORDS.has(w.toLowerCase()));
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
