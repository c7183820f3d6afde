// How a SchedulerX post becomes a YouTube video: metadata fields, per-post options, the Shorts rule
// and the tag that lets reconcile recognise the job's upload in the uploads playlist.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { composeText, type MediaRef, type PostContent } from '@sx/plugin-sdk';

/** Shorts: square or vertical and at most 3 minutes (classified by YouTube itself; there is no API flag). */
export const SHORTS_MAX_DURATION_S = 180;
export const TITLE_MAX = 100;
export const TAGS_MAX = 500;

export const postOptionsSchema = z
  .object({
    privacyStatus: z.enum(['public', 'unlisted', 'private']).default('public'),
    categoryId: z.string().regex(/^\d{1,3}$/).default('22'),
    madeForKids: z.boolean().default(false),
    notifySubscribers: z.boolean().default(true),
    publishAt: z.iso.datetime({ offset: true }).optional(),
    tags: z.array(z.string().min(1).max(100)).default([]),
    defaultLanguage: z.string().min(2).max(10).optional(),
    containsSyntheticMedia: z.boolean().optional(),
  })
  .strict();
export type PostOptions = z.infer<typeof postOptionsSchema>;

/** The job's marker tag: recognisable by reconcile, meaningless to viewers. */
export function markerTag(idempotencyKey: string): string {
  return `sx-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;
}

export function titleOf(post: PostContent): string {
  const explicit = post.title?.trim();
  if (explicit) return explicit;
  return [...(post.text.split('\n').find((l) => l.trim()) ?? '').trim()].slice(0, TITLE_MAX).join('');
}

export function descriptionOf(post: PostContent): string {
  return composeText(post.text, post.hashtags);
}

export function tagsOf(post: PostContent, options: PostOptions, marker?: string): string[] {
  const fromHashtags = post.hashtags.map((h) => h.replace(/^#/, '')).filter(Boolean);
  return [...new Set([...options.tags, ...fromHashtags, ...(marker ? [marker] : [])])];
}

/** Tag length as YouTube counts it: a tag with a space counts its quotes; tags are comma separated. */
export function tagsLength(tags: readonly string[]): number {
  return tags.reduce((n, t) => n + t.length + (/\s/.test(t) ? 2 : 0), 0) + Math.max(0, tags.length - 1);
}

export function isShort(video: MediaRef | undefined): boolean {
  if (!video?.width || !video.height || video.durationS === undefined) return false;
  return video.height >= video.width && video.durationS <= SHORTS_MAX_DURATION_S;
}

export function videoUrl(id: string, short: boolean): string {
  return short ? `https://www.youtube.com/shorts/${id}` : `https://www.youtube.com/watch?v=${id}`;
}

export function insertBody(post: PostContent, options: PostOptions, marker: string) {
  return {
    snippet: {
      title: titleOf(post),
      description: descriptionOf(post),
      tags: tagsOf(post, options, marker),
      categoryId: options.categoryId,
      ...(options.defaultLanguage ? { defaultLanguage: options.defaultLanguage } : {}),
    },
    status: {
      // A scheduled release is uploaded private and goes public at publishAt.
      privacyStatus: options.publishAt ? 'private' : options.privacyStatus,
      ...(options.publishAt ? { publishAt: options.publishAt } : {}),
      selfDeclaredMadeForKids: options.madeForKids,
      ...(options.containsSyntheticMedia !== undefined ? { containsSyntheticMedia: options.containsSyntheticMedia } : {}),
    },
  };
}
