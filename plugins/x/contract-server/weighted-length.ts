// X's weighted character count (twitter-text v3 configuration, docs.x.com fundamentals/counting-characters):
// text is NFC-normalised; code points in the ranges below weigh 1, everything else 2; an emoji
// (including a ZWJ sequence or flag) weighs 2 as a whole; every URL weighs 23 whatever its length.
export const X_MAX_WEIGHTED_LENGTH = 280;
export const X_URL_WEIGHT = 23;

const LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

// Scheme URLs, plus bare `www.` hosts; trailing sentence punctuation is not part of the URL.
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,:;!?)\]'}]/giu;
const EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function codePointWeight(cp: number): number {
  return LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
}

function plainWeight(text: string): number {
  let total = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (EMOJI_RE.test(segment)) {
      total += 2;
      continue;
    }
    for (const ch of segment) total += codePointWeight(ch.codePointAt(0) ?? 0);
  }
  return total;
}

/** The URLs X would shorten to t.co links in `text`. */
export function findUrls(text: string): string[] {
  return text.normalize('NFC').match(URL_RE) ?? [];
}

export function weightedLength(text: string): number {
  const normalised = text.normalize('NFC');
  let total = 0;
  let last = 0;
  for (const m of normalised.matchAll(URL_RE)) {
    total += plainWeight(normalised.slice(last, m.index)) + X_URL_WEIGHT;
    last = (m.index ?? 0) + m[0].length;
  }
  return total + plainWeight(normalised.slice(last));
}
