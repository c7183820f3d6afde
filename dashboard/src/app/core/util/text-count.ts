import { TextCounting } from '../api/plugins.api';

// Same URL rule as the plugin SDK's counter, so the dashboard and the publisher agree.
const URL_RE = /\bhttps?:\/\/[^\s<>"]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|co|me|social|xyz|info|edu|gov)(?:\/[^\s<>"]*)?/giu;
const EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const LIGHT: [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

function graphemes(text: string): string[] {
  return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
}

/** twitter-text v3: an emoji sequence weighs 2 once; other code points 1 in the light ranges, else 2. */
function weigh(segment: string): number {
  let total = 0;
  for (const g of graphemes(segment)) {
    if (EMOJI_RE.test(g)) total += 2;
    else for (const ch of g) total += LIGHT.some(([lo, hi]) => (ch.codePointAt(0) ?? 0) >= lo && (ch.codePointAt(0) ?? 0) <= hi) ? 1 : 2;
  }
  return total;
}

/** Length of `text` as a platform counts it (x_weighted per shared/platforms/x.md). */
export function countText(text: string, counting: TextCounting, urlWeight = 23): number {
  const nfc = text.normalize('NFC');
  switch (counting) {
    case 'code_points':
      return Array.from(nfc).length;
    case 'utf16':
      return nfc.length;
    case 'bytes':
      return new TextEncoder().encode(nfc).length;
    case 'graphemes':
      return graphemes(nfc).length;
    case 'x_weighted': {
      let total = 0;
      let last = 0;
      for (const m of nfc.matchAll(URL_RE)) {
        total += weigh(nfc.slice(last, m.index)) + urlWeight;
        last = (m.index ?? 0) + m[0].length;
      }
      return total + weigh(nfc.slice(last));
    }
  }
}

/** Caption + hashtags as they will be posted. */
export function composeText(caption: string, hashtags: readonly string[]): string {
  const tags = hashtags.map((h) => (h.startsWith('#') ? h : `#${h}`)).join(' ');
  return [caption.trim(), tags].filter(Boolean).join('\n\n');
}

export function parseHashtags(input: string): string[] {
  return input
    .split(/[\s,]+/)
    .map((t) => t.trim().replace(/^#+/, ''))
    .filter((t) => /^[\p{L}\p{N}_]+$/u.test(t))
    .map((t) => `#${t}`);
}
