import type { TextCounting } from './manifest';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters (Bluesky's 300 limit counts these). */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

export function countCodePoints(text: string): number {
  return [...text].length;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// twitter-text v3 config: these ranges weigh 1, everything else 2.
const LIGHT_RANGES: [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const URL_RE = /\bhttps?:\/\/[^\s<>"]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|co|me|social|xyz|info|edu|gov)(?:\/[^\s<>"]*)?/giu;
const EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

function codePointWeight(cp: number): number {
  return LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
}

/**
 * X's weighted length: NFC first, each URL counts `urlWeight` (23), an emoji sequence counts 2 once,
 * other code points 1 or 2 by range. The limit for standard accounts is 280.
 */
export function xWeightedLength(text: string, urlWeight = 23): number {
  const normalised = text.normalize('NFC');
  let total = 0;
  let last = 0;
  for (const m of normalised.matchAll(URL_RE)) {
    total += weighSegment(normalised.slice(last, m.index)) + urlWeight;
    last = (m.index ?? 0) + m[0].length;
  }
  return total + weighSegment(normalised.slice(last));
}

function weighSegment(s: string): number {
  let total = 0;
  for (const { segment } of segmenter.segment(s)) {
    if (EMOJI_RE.test(segment)) total += 2;
    else for (const ch of segment) total += codePointWeight(ch.codePointAt(0) ?? 0);
  }
  return total;
}

/** Length of `text` under a manifest counting rule. */
export function countText(text: string, rule: TextCounting, urlWeight?: number): number {
  switch (rule) {
    case 'graphemes':
      return countGraphemes(text);
    case 'x_weighted':
      return xWeightedLength(text, urlWeight);
    case 'code_points':
      return countCodePoints(text);
    case 'utf16':
      return text.length;
    case 'bytes':
      return utf8Bytes(text);
  }
}

/** The text a platform receives: body plus hashtags not already in it. */
export function composeText(text: string, hashtags: readonly string[]): string {
  const tags = hashtags
    .map((t) => (t.startsWith('#') ? t : `#${t}`))
    .filter((t) => !new RegExp(`(^|\\s)${escapeRe(t)}(?=\\s|$)`, 'u').test(text));
  return tags.length ? `${text}${text ? '\n\n' : ''}${tags.join(' ')}` : text;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
