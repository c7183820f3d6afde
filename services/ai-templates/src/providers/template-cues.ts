/** What the offline generator can read from a rendered template without a model. */
export interface TemplateCues {
  /** A filled-in example answer the template spells out (placeholders like "..." do not count). */
  example?: { title: string; caption: string; hashtags: string[] };
  titleMax: number;
  captionMax: number;
  /** How many hashtags to write, within the 10-15 the metadata schema allows. */
  hashtagCount: number;
  emoji: boolean;
}

const TITLE_MAX = 100;
const CAPTION_MAX = 2200;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

export function readTemplateCues(prompt: string): TemplateCues {
  const titleMax = clamp(limitNear(prompt, 'title') ?? TITLE_MAX, 1, TITLE_MAX);
  const captionMax = clamp(limitNear(prompt, 'caption') ?? CAPTION_MAX, 1, CAPTION_MAX);
  return { example: exampleOf(prompt), titleMax, captionMax, hashtagCount: hashtagCount(prompt), emoji: /emoji/i.test(prompt) };
}

/** "title (max 60 chars)", "caption of at most 300 characters" → the number. */
function limitNear(prompt: string, field: string): number | undefined {
  const m = new RegExp(`${field}[^\\n]*?(?:max(?:imum)?|at most|up to|under)\\s*(\\d{1,4})\\s*(?:char|letter)`, 'i').exec(prompt);
  return m ? Number(m[1]) : undefined;
}

function hashtagCount(prompt: string): number {
  const range = /(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s+(?:\w+\s+)?hashtags/i.exec(prompt);
  if (range) return clamp(Number(range[2]), 10, 15);
  const single = /(\d{1,2})\s+(?:\w+\s+)?hashtags/i.exec(prompt);
  return single ? clamp(Number(single[1]), 10, 15) : 15;
}

const isPlaceholder = (s: string) => !s.trim() || /\.\.\.|…/.test(s);

function jsonString(prompt: string, key: string): string | undefined {
  const m = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(prompt);
  if (!m) return undefined;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1];
  }
}

function exampleOf(prompt: string): TemplateCues['example'] {
  const title = jsonString(prompt, 'title');
  const caption = jsonString(prompt, 'caption');
  if (title === undefined || caption === undefined || isPlaceholder(title) || isPlaceholder(caption)) return undefined;
  const list = /"hashtags"\s*:\s*\[([^\]]*)\]/.exec(prompt)?.[1] ?? jsonString(prompt, 'hashtags') ?? '';
  const hashtags = [...list.matchAll(/#[\p{L}\p{N}_]+/gu)].map((m) => m[0]);
  return { title, caption, hashtags: [...new Set(hashtags)] };
}
