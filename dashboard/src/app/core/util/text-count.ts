import { countText as countByRule } from '@sx/contracts';
import { TextCounting } from '../api/plugins.api';

/**
 * Length of `text` as the platform counts it. The rules have one implementation, in @sx/contracts
 * (re-exported by the plugin SDK), so the composer and the publisher's validate agree exactly.
 */
export function countText(text: string, counting: TextCounting, urlWeight = 23): number {
  return countByRule(text, counting, urlWeight);
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
