import { MediaAsset } from '../../core/api/media.api';
import { PluginManifest } from '../../core/api/plugins.api';
import { composeText, countText } from '../../core/util/text-count';

export interface PlatformCheck {
  platform: string;
  name: string;
  used: number;
  max: number | null;
  counting: string;
  problems: string[];
  text: string;
}

/** Live validation of one platform's version of the post against its manifest limits. */
export function checkPlatform(
  manifest: PluginManifest,
  caption: string,
  hashtags: readonly string[],
  title: string,
  media: readonly MediaAsset[],
): PlatformCheck {
  const text = composeText(caption, hashtags);
  const limits = manifest.limits ?? {};
  const problems: string[] = [];
  const counting = limits.text?.counting ?? 'chars';
  const used = countText(text, counting);
  const max = limits.text?.maxLength ?? null;
  if (max !== null && used > max) problems.push(`Text is ${used - max} over the ${max} limit`);
  if (limits.text?.maxBytes && countText(text, 'bytes') > limits.text.maxBytes) {
    problems.push(`Text exceeds ${limits.text.maxBytes} bytes`);
  }
  if (limits.title && title.length > limits.title.maxLength) problems.push(`Title is over ${limits.title.maxLength} characters`);
  const m = limits.media;
  if (m) {
    if (m.maxItems !== undefined && media.length > m.maxItems) problems.push(`At most ${m.maxItems} media item(s)`);
    for (const a of media) {
      if (m.kinds?.length && !m.kinds.includes(a.kind)) problems.push(`${a.filename}: ${a.kind} is not supported`);
      if (m.maxBytes && a.bytes > m.maxBytes) problems.push(`${a.filename} is larger than ${Math.round(m.maxBytes / 1e6)} MB`);
      const dur = Number(a.metadata?.['durationS'] ?? a.metadata?.['duration'] ?? 0);
      if (m.maxDurationS && dur > m.maxDurationS) problems.push(`${a.filename} is longer than ${m.maxDurationS} s`);
    }
  }
  return { platform: manifest.id, name: manifest.name, used, max, counting, problems, text };
}
