// Validation of videos.insert metadata and the video resource's async processing states
// (developers.google.com/youtube/v3/docs/videos#resource and docs/errors).
import { googleError } from './google-errors';
import type { VideoInsertBody } from './youtube-uploads';

export type ProcessingOutcome =
  | { kind: 'processed' }
  | { kind: 'failed'; failureReason: 'codec' | 'conversion' | 'emptyFile' | 'invalidFile' | 'tooSmall' | 'uploadAborted' }
  | { kind: 'rejected'; rejectionReason: 'duplicate' | 'copyright' | 'inappropriate' | 'length' | 'termsOfUse' | 'trademark' | 'uploaderAccountClosed' | 'uploaderAccountSuspended' | 'claim' };

export interface StoredVideo {
  id: string;
  snippet: Required<Pick<VideoInsertBody['snippet'], 'title'>> & VideoInsertBody['snippet'] & { channelId: string; publishedAt: string };
  status: {
    uploadStatus: 'uploaded' | 'processed' | 'failed' | 'rejected' | 'deleted';
    privacyStatus: string;
    publishAt?: string;
    selfDeclaredMadeForKids: boolean;
    madeForKids: boolean;
    failureReason?: string;
    rejectionReason?: string;
  };
  processingDetails: { processingStatus: 'processing' | 'succeeded' | 'failed' | 'terminated' };
  bytes: number;
  /** sha256 of the bytes that arrived, to prove a resumed upload is byte-exact. */
  sha256: string;
  contentType: string;
  /** Status reads left until processing finishes. */
  pollsLeft: number;
  outcome: ProcessingOutcome;
  notifySubscribers: boolean;
  thumbnail?: { contentType: string; bytes: number };
}

export const CATEGORY_IDS = new Set(['1', '2', '10', '15', '17', '19', '20', '22', '23', '24', '25', '26', '27', '28', '29']);
const PRIVACY = new Set(['public', 'unlisted', 'private']);

/** Tag length as YouTube counts it: the characters of every tag, a tag with a space counting its quotes, plus separators. */
export function tagsLength(tags: readonly string[]): number {
  return tags.reduce((n, t) => n + t.length + (/\s/.test(t) ? 2 : 0), 0) + Math.max(0, tags.length - 1);
}

export function checkInsertBody(body: VideoInsertBody, nowMs: number): void {
  const title = body.snippet?.title;
  if (typeof title !== 'string' || !title.trim()) throw googleError(400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.');
  if ([...title].length > 100 || /[<>]/.test(title)) throw googleError(400, 'invalidTitle', 'The request metadata specifies an invalid video title.');
  const description = body.snippet.description ?? '';
  if (Buffer.byteLength(description, 'utf8') > 5000 || /[<>]/.test(description)) {
    throw googleError(400, 'invalidDescription', 'The request metadata specifies an invalid video description.');
  }
  if (body.snippet.tags && tagsLength(body.snippet.tags) > 500) throw googleError(400, 'invalidTags', 'The request metadata specifies invalid video keywords.');
  if (body.snippet.categoryId !== undefined && !CATEGORY_IDS.has(body.snippet.categoryId)) {
    throw googleError(400, 'invalidCategoryId', 'The snippet.categoryId property specifies an invalid category ID.');
  }
  const privacy = body.status?.privacyStatus ?? 'public';
  if (!PRIVACY.has(privacy)) throw googleError(400, 'invalidVideoMetadata', 'The request metadata is invalid.');
  const publishAt = body.status?.publishAt;
  if (publishAt !== undefined && (privacy !== 'private' || !(Date.parse(publishAt) > nowMs))) {
    throw googleError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time.');
  }
}

/** One status read: processing advances, and ends in the outcome chosen for this video. */
export function advance(v: StoredVideo): void {
  if (v.status.uploadStatus !== 'uploaded') return;
  if (v.pollsLeft > 0) {
    v.pollsLeft -= 1;
    return;
  }
  if (v.outcome.kind === 'processed') {
    v.status.uploadStatus = 'processed';
    v.processingDetails.processingStatus = 'succeeded';
  } else if (v.outcome.kind === 'failed') {
    v.status.uploadStatus = 'failed';
    v.status.failureReason = v.outcome.failureReason;
    v.processingDetails.processingStatus = 'failed';
  } else {
    v.status.uploadStatus = 'rejected';
    v.status.rejectionReason = v.outcome.rejectionReason;
    v.processingDetails.processingStatus = 'terminated';
  }
}

export function videoResource(v: StoredVideo, parts: readonly string[]) {
  return {
    kind: 'youtube#video',
    etag: `etag-${v.id}`,
    id: v.id,
    ...(parts.includes('snippet') ? { snippet: v.snippet } : {}),
    ...(parts.includes('status')
      ? { status: { ...v.status, license: 'youtube', embeddable: true, publicStatsViewable: true } }
      : {}),
    ...(parts.includes('processingDetails') ? { processingDetails: v.processingDetails } : {}),
  };
}
