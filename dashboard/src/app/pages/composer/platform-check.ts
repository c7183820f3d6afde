import { MediaAsset } from '../../core/api/media.api';
import { MediaKindLimits, PluginManifest } from '../../core/api/plugins.api';
import { composeText, countText } from '../../core/util/text-count';

export interface PlatformCheck {
  platform: string;
  name: string;
  used: number;
  max: number;
  counting: string;
  problems: string[];
  text: string;
}

function limitsFor(m: PluginManifest, a: MediaAsset): MediaKindLimits | undefined {
  if (a.mime === 'image/gif' && m.media.gif) return m.media.gif;
  if (a.kind === 'image') return m.media.image;
  if (a.kind === 'video') return m.media.video;
  return undefined;
}

/** Live validation of one platform's version of the post against its manifest limits. */
export function checkPlatform(
  m: PluginManifest,
  caption: string,
  hashtags: readonly string[],
  media: readonly MediaAsset[],
): PlatformCheck {
  const text = composeText(caption, hashtags);
  const problems: string[] = [];
  const used = countText(text, m.text.counting, m.text.urlWeight);
  const max = m.text.maxLength;
  if (used > max) problems.push(`Text is ${used - max} over the ${max} limit`);
  if (m.text.required && !text.trim()) problems.push('Text is required');
  if (m.text.maxHashtags !== undefined && hashtags.length > m.text.maxHashtags) problems.push(`At most ${m.text.maxHashtags} hashtags`);
  if (media.length > m.media.maxItems) {
    problems.push(m.media.maxItems === 0 ? 'This platform takes no media' : `At most ${m.media.maxItems} media item(s)`);
  }
  if (!m.media.mixed && new Set(media.map((a) => a.kind)).size > 1) problems.push('Images and videos cannot be mixed');
  for (const a of media.slice(0, m.media.maxItems)) {
    const lim = limitsFor(m, a);
    if (!lim) {
      problems.push(`${a.filename}: ${a.kind} is not supported`);
      continue;
    }
    if (!lim.mimeTypes.includes(a.mime)) problems.push(`${a.filename}: ${a.mime} is not accepted`);
    if (a.bytes > lim.maxBytes) problems.push(`${a.filename} is larger than ${(lim.maxBytes / 1e6).toFixed(1)} MB`);
    const dur = Number(a.metadata?.['durationS'] ?? a.metadata?.['duration'] ?? 0);
    if (lim.maxDurationS && dur > lim.maxDurationS) problems.push(`${a.filename} is longer than ${lim.maxDurationS} s`);
    if (lim.minDurationS && dur && dur < lim.minDurationS) problems.push(`${a.filename} is shorter than ${lim.minDurationS} s`);
  }
  return { platform: m.platform, name: m.name, used, max, counting: m.text.counting.replace('_', ' '), problems, text };
}
