// GET /api/v2/instance: each instance's own limits (admins and forks change the upstream defaults).
import type { MediaRef, Violation } from '@sx/plugin-sdk';
import { mastodonCall, type MastodonContext } from './mastodon-api';
import { statusLength } from './status-length';

export interface InstanceLimits {
  maxCharacters: number;
  maxMediaAttachments: number;
  charactersReservedPerUrl: number;
  supportedMimeTypes?: string[];
  imageSizeLimit?: number;
  videoSizeLimit?: number;
  descriptionLimit?: number;
}

interface InstanceV2 {
  configuration?: {
    statuses?: { max_characters?: number; max_media_attachments?: number; characters_reserved_per_url?: number };
    media_attachments?: { supported_mime_types?: string[]; image_size_limit?: number; video_size_limit?: number; description_limit?: number };
  };
}

export async function readInstanceLimits(ctx: MastodonContext): Promise<InstanceLimits> {
  const res = await mastodonCall(ctx, undefined, 'read instance', { method: 'GET', url: '/api/v2/instance' });
  const c = res.json<InstanceV2>()?.configuration;
  return {
    maxCharacters: c?.statuses?.max_characters ?? 500,
    maxMediaAttachments: c?.statuses?.max_media_attachments ?? 4,
    charactersReservedPerUrl: c?.statuses?.characters_reserved_per_url ?? 23,
    supportedMimeTypes: c?.media_attachments?.supported_mime_types,
    imageSizeLimit: c?.media_attachments?.image_size_limit,
    videoSizeLimit: c?.media_attachments?.video_size_limit,
    descriptionLimit: c?.media_attachments?.description_limit,
  };
}

/** Every rule of this instance the post breaks. */
export function instanceViolations(l: InstanceLimits, text: string, spoiler: string, media: readonly MediaRef[]): Violation[] {
  const v: Violation[] = [];
  const length = statusLength(text, spoiler, l.charactersReservedPerUrl);
  if (length > l.maxCharacters) {
    v.push({ rule: 'text.max_length', field: 'text', message: `text is ${length} characters; this instance allows ${l.maxCharacters}`, limit: l.maxCharacters, actual: length });
  }
  if (media.length > l.maxMediaAttachments) {
    v.push({ rule: 'media.max_items', field: 'media', message: `${media.length} attachments; this instance allows ${l.maxMediaAttachments}`, limit: l.maxMediaAttachments, actual: media.length });
  }
  media.forEach((m, i) => {
    const field = `media.${i}`;
    if (l.supportedMimeTypes && !l.supportedMimeTypes.includes(m.mimeType)) {
      v.push({ rule: `media.${m.kind}.mime_type`, field, message: `${m.mimeType} is not accepted by this instance`, actual: m.mimeType });
    }
    const max = m.kind === 'image' ? l.imageSizeLimit : l.videoSizeLimit;
    if (max !== undefined && m.sizeBytes > max) {
      v.push({ rule: `media.${m.kind}.max_bytes`, field, message: `${m.sizeBytes} bytes; this instance allows ${max}`, limit: max, actual: m.sizeBytes });
    }
    if (l.descriptionLimit !== undefined && m.altText && [...m.altText].length > l.descriptionLimit) {
      v.push({ rule: 'media.alt_text.max_length', field, message: `alt text is longer than ${l.descriptionLimit}`, limit: l.descriptionLimit });
    }
  });
  return v;
}
