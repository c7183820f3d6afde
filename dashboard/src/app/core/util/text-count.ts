import { TextCounting } from '../api/plugins.api';

const URL_RE = /https?:\/\/[^\s]+/g;
const X_URL_WEIGHT = 23;

function graphemes(text: string): string[] {
  const Seg = (Intl as unknown as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (!Seg) return Array.from(text);
  return Array.from(new Seg(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
}

/** twitter-text v3 ranges that weigh 1; everything else weighs 2 (shared/platforms/x.md). */
function xWeight(cluster: string): number {
  const cp = cluster.codePointAt(0) ?? 0;
  const light =
    cluster.length <= 2 &&
    [...cluster].length === 1 &&
    ((cp >= 0x0000 && cp <= 0x10ff) ||
      (cp >= 0x2000 && cp <= 0x200d) ||
      (cp >= 0x2010 && cp <= 0x201f) ||
      (cp >= 0x2032 && cp <= 0x2037));
  return light ? 1 : 2;
}

/** Length of `text` as a platform counts it. */
export function countText(text: string, counting: TextCounting): number {
  const nfc = text.normalize('NFC');
  switch (counting) {
    case 'chars':
      return Array.from(nfc).length;
    case 'bytes':
      return new TextEncoder().encode(nfc).length;
    case 'graphemes':
      return graphemes(nfc).length;
    case 'weighted': {
      const urls = nfc.match(URL_RE) ?? [];
      const rest = nfc.replace(URL_RE, '');
      return urls.length * X_URL_WEIGHT + graphemes(rest).reduce((sum, g) => sum + xWeight(g), 0);
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
