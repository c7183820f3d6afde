// The counting rules have one implementation, in @sx/contracts (pure, so the dashboard uses it too).
export { countCodePoints, countGraphemes, countText, findUrls, utf8Bytes, xWeightedLength, X_URL_WEIGHT } from '@sx/contracts';

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
