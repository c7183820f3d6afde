import { MediaAsset } from '../../core/api/media.api';

/** What the composer knows for an AI template's variables: the first picked file, the title, the first platform. */
export function templateVariables(media: MediaAsset | undefined, title: string, platform: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (title.trim()) out['title'] = title.trim();
  if (platform) out['platform'] = platform;
  if (!media) return out;
  out['kind'] = media.kind;
  for (const [key, value] of Object.entries(media.metadata ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    out[`metadata.${key}`] = String(value);
    if (key === 'duration' || key === 'width' || key === 'height') out[key] = String(value);
  }
  return out;
}
