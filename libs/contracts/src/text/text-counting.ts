/**
 * The one implementation of every platform text-counting rule. It lives in contracts (pure, no Node
 * APIs) so the dashboard's composer, the plugin SDK (which re-exports it) and contract servers all
 * measure a post the same way.
 */
export const TEXT_COUNTING_RULES = ['graphemes', 'x_weighted', 'code_points', 'utf16', 'bytes'] as const;
export type TextCountingRule = (typeof TEXT_COUNTING_RULES)[number];

/** X counts every URL as 23 whatever its length (t.co wrapping). */
export const X_URL_WEIGHT = 23;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const encoder = new TextEncoder();

// twitter-text v3 config: code points in these ranges weigh 1, everything else 2.
const LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
// Scheme URLs, `www.` hosts and bare domains on common TLDs; trailing sentence punctuation is not part of a URL.
const URL_END = `[^\\s<>".,:;!?)\\]'}]`;
const URL_RE = new RegExp(
  `\\b(?:https?:\\/\\/|www\\.)[^\\s<>"]*${URL_END}` +
    `|\\b(?:[a-z0-9-]+\\.)+(?:com|org|net|io|dev|app|co|me|social|xyz|info|edu|gov)\\b(?:\\/(?:[^\\s<>"]*${URL_END})?)?`,
  'giu',
);
const EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** User-perceived characters (Bluesky's 300, Mastodon's 500 count these). */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

export function countCodePoints(text: string): number {
  return [...text].length;
}

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The URLs X would shorten to t.co links in `text`. */
export function findUrls(text: string): string[] {
  return text.normalize('NFC').match(URL_RE) ?? [];
}

function codePointWeight(cp: number): number {
  return LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
}

function weighSegment(s: string): number {
  let total = 0;
  for (const { segment } of segmenter.segment(s)) {
    if (EMOJI_RE.test(segment)) total += 2;
    else for (const ch of segment) total += codePointWeight(ch.codePointAt(0) ?? 0);
  }
  return total;
}

/**
 * X's weighted length (docs.x.com counting-characters): NFC first, each URL counts `urlWeight`, an
 * emoji (ZWJ sequence or flag included) counts 2 once, other code points 1 or 2 by range.
 */
export function xWeightedLength(text: string, urlWeight = X_URL_WEIGHT): number {
  const normalised = text.normalize('NFC');
  let total = 0;
  let last = 0;
  for (const m of normalised.matchAll(URL_RE)) {
    total += weighSegment(normalised.slice(last, m.index)) + urlWeight;
    last = (m.index ?? 0) + m[0].length;
  }
  return total + weighSegment(normalised.slice(last));
}

/** Length of `text` under a manifest counting rule. */
export function countText(text: string, rule: TextCountingRule, urlWeight?: number): number {
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
