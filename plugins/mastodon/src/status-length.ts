// Mastodon's status length (app/validators/status_length_validator.rb): grapheme clusters of
// spoiler_text + status, every URL counted as `charactersReservedPerUrl` (23 upstream), and a
// remote mention `@user@domain` counted as `@user` only.
const URL_RE = /https?:\/\/[^\s<>"]+[^\s<>".,:;!?)\]'}]/giu;
const REMOTE_MENTION_RE = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+(?:[.-]+[\p{L}\p{N}_]+)*)@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/giu;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n += 1;
  return n;
}

export function statusLength(status: string, spoilerText = '', charactersReservedPerUrl = 23): number {
  const placeholder = 'x'.repeat(charactersReservedPerUrl);
  const counted = status.replace(URL_RE, placeholder).replace(REMOTE_MENTION_RE, (_m, pre: string, user: string) => `${pre}@${user}`);
  return graphemeCount(counted) + graphemeCount(spoilerText);
}
