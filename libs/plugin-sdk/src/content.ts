import type { Readable } from 'node:stream';

/** One media item attached to a post, as described by the media service. */
export interface MediaRef {
  id: string;
  kind: 'image' | 'video' | 'gif';
  mimeType: string;
  sizeBytes: number;
  width?: number;
  height?: number;
  durationS?: number;
  altText?: string;
  filename?: string;
  /**
   * A signed, expiring URL anyone can GET these exact bytes from (S3 presigned GET, or the gateway's
   * /storage/objects route under SX_PUBLIC_URL in embedded mode), for platforms that pull media from a
   * URL. The platform must be able to reach it; prefer uploading bytes wherever the platform allows.
   */
  publicUrl?: string;
  publicUrlExpiresAt?: string;
}

/** The post as the scheduler dispatches it; media travel separately (see PublishPost and ctx.media). */
export interface PostContent {
  text: string;
  title?: string;
  hashtags: string[];
  /** Follow-up posts of a thread, in order (needs the `thread` capability). */
  thread?: string[];
  /** A reply posted right after the post (needs the `first_comment` capability). */
  firstComment?: string;
  /** Per-post options for this platform (e.g. visibility), validated by the plugin. */
  settings: Record<string, unknown>;
}

export interface PublishPost extends PostContent {
  media: readonly MediaRef[];
}

/** One broken rule. `rule` is stable and machine-readable, e.g. `text.max_length`. */
export interface Violation {
  rule: string;
  message: string;
  field?: string;
  limit?: number | string;
  actual?: number | string;
}

/** `ok` is true exactly when `violations` is empty; every violated rule is listed, not just the first. */
export interface ValidationResult {
  ok: boolean;
  violations: Violation[];
}

export function validationResult(violations: Violation[]): ValidationResult {
  return { ok: violations.length === 0, violations };
}

/** Reads media bytes the host made available for this call. */
export interface MediaAccess {
  /** The media of this post, in order. */
  readonly items: readonly MediaRef[];
  /** A fresh stream of the bytes of one media item. Throws RejectedError for an id not in `items`. */
  open(id: string): Readable;
  /** All bytes of one media item (fine for images; prefer `open` for video). */
  read(id: string): Promise<Buffer>;
}

/** What `publish` must return: the platform's id and a public URL (invariant 4). */
export interface PublishResult {
  platformPostId: string;
  url: string;
  /** ISO instant the platform reports; the host uses its clock when absent. */
  publishedAt?: string;
  /** Ids of thread follow-ups / first comment, when any. */
  extraPostIds?: string[];
}
