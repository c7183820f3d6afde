import type { AiProvider, CompletionRequest } from './ai-provider';

const STOP_WORDS = new Set(['the', 'a', 'an', 'and', 'of', 'in', 'on', 'clip', 'video', 'final', 'copy', 'img', 'vid']);
const BASE_TAGS = ['gaming', 'gamer', 'gameplay', 'clips', 'highlights', 'videogames', 'gamingcommunity', 'epic', 'fyp', 'viral', 'streamer', 'twitch', 'shorts', 'reels', 'content'];

/**
 * Used when no model is configured. Derives title, caption and hashtags from the filename, the
 * context and the metadata, deterministically (same input, same output), and says it is offline.
 */
export class OfflineProvider implements AiProvider {
  readonly name = 'offline';
  readonly offline = true;

  async complete(request: CompletionRequest): Promise<string> {
    const v = request.variables;
    const words = wordsOf(v['filename'] ?? '');
    const context = (v['game_context'] ?? '').trim();
    const subject = words.length ? words.map(capitalise).join(' ') : 'New clip';
    const title = truncate(context ? `${subject} | ${capitalise(context)}` : subject, 100);
    const duration = Number(v['duration'] ?? v['metadata.duration']);
    const length = Number.isFinite(duration) && duration > 0 ? ` (${Math.round(duration)} s)` : '';
    const caption = truncate(
      `${subject}${length}${context ? ` — ${context}` : ''}. Watch till the end! 🎮🔥\n\n(Written by the built-in offline generator: configure an AI provider for richer captions.)`,
      2200,
    );
    const tags = [...words, ...wordsOf(context)]
      .map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}_]/gu, ''))
      .filter((w) => w.length > 1);
    const hashtags = [...new Set([...tags, ...BASE_TAGS])].slice(0, 15).map((t) => `#${t}`);
    return JSON.stringify({ title, caption, hashtags });
  }
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
